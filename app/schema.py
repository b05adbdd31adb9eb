"""The declarative base every table uses, in plain SQLAlchemy.

Separate from app/db.py (Flask-SQLAlchemy) so that domain modules (app/messages/store.py) can
declare tables without importing Flask; Flask-SQLAlchemy's `db.Model` shares this metadata and
registry, so Alembic and `db.session` see every table either way.
"""

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    # Named constraints keep Alembic migrations portable between SQLite and PostgreSQL.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
