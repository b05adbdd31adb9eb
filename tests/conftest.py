"""Shared fixtures: an app on a real SQLite file, its test client and CLI runner."""

from __future__ import annotations

import secrets
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from app import create_app
from app.seed import seed_all

SECRET = "test-" + "k" * 40


def make_app(tmp_path: Path, **config: object) -> Flask:
    """A fresh app with a migrated, seeded database file in `tmp_path`."""
    app = create_app(
        {
            "SECRET_KEY": SECRET,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite3'}",
            "TESTING": True,
            **config,
        }
    )
    with app.app_context():
        flask_migrate.upgrade()
        seed_all()
    return app


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
