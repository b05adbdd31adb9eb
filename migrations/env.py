"""Alembic environment: migrations run against the app's own engine (SQLite or PostgreSQL).

Logging is left as the app configured it; alembic's ini-file logging setup is not used.
"""

from alembic import context
from flask import current_app

target_db = current_app.extensions["migrate"].db


def run_migrations_offline() -> None:
    context.configure(
        url=str(target_db.engine.url), target_metadata=target_db.metadata, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    with target_db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_db.metadata,
            **current_app.extensions["migrate"].configure_args,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
