"""The Alembic migrations themselves: from nothing to the models, and back down again.

Apps in the other tests get a copy of one migrated template database (tests/conftest.py), so
the migrations run here on a database of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
from sqlalchemy import inspect

from app.db import db
from tests import pg_cluster
from tests.conftest import make_app


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """An empty database: a new file, or a new PostgreSQL database in a PostgreSQL run."""
    admin = pg_cluster.admin_url()
    if not admin:
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    url = pg_cluster.create_database(admin)
    yield url
    pg_cluster.drop_database(admin, url)


def test_migrations_build_exactly_the_models_schema(tmp_path: Path, empty_database: str) -> None:
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=empty_database)
    with app.app_context():
        flask_migrate.check()  # raises when the models differ from what the migrations built


def test_migrations_go_down_to_nothing_and_up_again(tmp_path: Path, empty_database: str) -> None:
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=empty_database)
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        flask_migrate.downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        flask_migrate.upgrade()
        assert set(inspect(db.engine).get_table_names()) == tables
