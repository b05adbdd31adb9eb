"""Shared fixtures: an app on a real SQLite file, its test client and CLI runner.

With TEST_POSTGRES_URL set (tests/run_on_postgres.sh), each app gets a fresh PostgreSQL
database instead, dropped after the test that made it (tests/pg_cluster.py).

Alembic and the seed run once per test run, into a template database; each app then gets a
copy of it (a file copy on SQLite, `CREATE DATABASE ... TEMPLATE` on PostgreSQL). Every app
still has a database of its own, migrated and seeded exactly as `flask db upgrade` and
`flask seed` leave it; tests/test_migrations.py runs the migrations themselves.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from app import create_app
from app.db import db
from app.seed import seed_all
from tests import pg_cluster
from tests.clock import Clock, freeze

SECRET = "test-" + "k" * 40
# The messages key for every app the tests make (create_app reads the environment; tests that
# are about the key itself pass their own). 32 bytes of urlsafe base64, like `make run` writes.
MESSAGES_KEY = "dGVzdC1tZXNzYWdlcy1rZXktMzItYnl0ZXMtbG9uZyE="
os.environ.setdefault("MESSAGES_KEY", MESSAGES_KEY)


# Apps on PostgreSQL, with the URL of the database made for them (None if the test gave one).
_POSTGRES_APPS: list[tuple[Flask, str | None]] = []


# The template database, made on first use: {"url": ..., "folder": ...}.
_TEMPLATE: dict[str, str] = {}


def _migrate_and_seed(app: Flask) -> None:
    with app.app_context():
        flask_migrate.upgrade()
        seed_all(db.session)


def _template_url() -> str:
    """The migrated, seeded database that every app's database is copied from."""
    if "url" not in _TEMPLATE:
        admin = pg_cluster.admin_url()
        folder = tempfile.mkdtemp(prefix="helpline-template-")
        url = pg_cluster.create_database(admin) if admin else f"sqlite:///{folder}/template.sqlite3"
        app = create_app(
            {
                "SECRET_KEY": SECRET,
                "SQLALCHEMY_DATABASE_URI": url,
                "CHAT_STORE_URL": f"sqlite:///{folder}/chat.sqlite3",
            }
        )
        _migrate_and_seed(app)
        with app.app_context():
            db.engine.dispose()  # PostgreSQL copies a template only while nobody is connected
        _TEMPLATE.update(url=url, folder=folder)
    return _TEMPLATE["url"]


def _database_url(tmp_path: Path) -> str:
    """A copy of the template database for one app."""
    template = _template_url()
    admin = pg_cluster.admin_url()
    if admin:
        return pg_cluster.create_database(admin, template=template)
    copy = tmp_path / "test.sqlite3"
    shutil.copyfile(template.removeprefix("sqlite:///"), copy)
    return f"sqlite:///{copy}"


def make_app(tmp_path: Path, **config: object) -> Flask:
    """A fresh app with a migrated, seeded database (a file in `tmp_path`, or PostgreSQL).

    A test that passes SQLALCHEMY_DATABASE_URI gets exactly that database, migrated and seeded.
    """
    given = config.pop("SQLALCHEMY_DATABASE_URI", None)
    url = str(given) if given else _database_url(tmp_path)
    # The chat store too lives in tmp_path, not on the machine's /dev/shm.
    chat_store = f"sqlite:///{tmp_path / 'chat' / 'chat.sqlite3'}"
    app = create_app(
        {
            "SECRET_KEY": SECRET,
            "SQLALCHEMY_DATABASE_URI": url,
            "TESTING": True,
            "FAST_PASSWORD_HASHES": True,  # app/staff/auth.py: argon2 at its smallest cost
            "CHAT_STORE_URL": chat_store,
            **config,
        }
    )
    if url.startswith("postgresql"):
        _POSTGRES_APPS.append((app, None if given else url))
    if given:
        _migrate_and_seed(app)
    return app


def _release_postgres_apps(keep: int) -> None:
    """Close the pools of the PostgreSQL apps made after the first `keep`; drop their databases."""
    admin = pg_cluster.admin_url()
    while admin and len(_POSTGRES_APPS) > keep:
        app, url = _POSTGRES_APPS.pop()
        with app.app_context():
            db.engine.dispose()
        if url:
            pg_cluster.drop_database(admin, url)


@pytest.fixture(autouse=True, scope="session")
def _release_session_databases() -> Iterator[None]:
    yield
    _release_postgres_apps(keep=0)
    admin = pg_cluster.admin_url()
    if admin and "url" in _TEMPLATE:
        pg_cluster.drop_database(admin, _TEMPLATE["url"])
    if "folder" in _TEMPLATE:
        shutil.rmtree(_TEMPLATE["folder"], ignore_errors=True)


@pytest.fixture(autouse=True)
def _release_test_postgres_apps() -> Iterator[None]:
    """After each test, release the apps it made; session-scoped apps were made before."""
    made_before = len(_POSTGRES_APPS)
    yield
    _release_postgres_apps(keep=made_before)


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return make_app(tmp_path)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The site's one clock, stopped at this moment for the test (tests/clock.py)."""
    return freeze(monkeypatch)


@pytest.fixture
def marker() -> str:
    """A value that must never be found anywhere after a request carried it."""
    return "MRK" + secrets.token_hex(12)


@pytest.fixture(scope="session")
def public_urls(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Every page listed in the sitemap, as paths, in both languages."""
    app = make_app(tmp_path_factory.mktemp("sitemap"))
    return sitemap_paths(app.test_client())


def sitemap_paths(client: FlaskClient) -> list[str]:
    from xml.etree import ElementTree

    body = client.get("/sitemap.xml").data
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    base = client.application.config["SITE_URL"]
    locs = [
        loc.text or "" for loc in ElementTree.fromstring(body).findall("s:url/s:loc", namespace)
    ]
    return [loc.removeprefix(base) for loc in locs]
