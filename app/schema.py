"""The declarative base every table uses, in plain SQLAlchemy.

Separate from app/db.py (Flask-SQLAlchemy) so that the domain modules (hours, contacts, notice,
messages, counters, staff tables) declare tables without importing Flask. Every model derives
from this Base; `db` is made with it as its model class, so Alembic and `db.session` see the
same metadata.
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
