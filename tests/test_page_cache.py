"""The per-minute page cache (app/page_cache.py) never shows a stale page."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask, template_rendered
from flask.testing import FlaskClient

from app.contacts import Contact
from app.db import db
from app.revision import bump_revision
from tests.clock import freeze

AMSTERDAM = dt.timezone(dt.timedelta(hours=1))


def renders(app: Flask, client: FlaskClient, url: str) -> tuple[int, str]:
    """How many templates a GET rendered, and the page."""
    seen: list[str] = []

    def record(sender: Flask, template: object, context: object, **extra: object) -> None:
        seen.append(str(template))

    with template_rendered.connected_to(record, app):
        body = client.get(url).get_data(as_text=True)
    return len(seen), body


def at(monkeypatch: pytest.MonkeyPatch, hour: int, minute: int, second: int = 0) -> None:
    moment = dt.datetime(2026, 12, 1, hour, minute, second, tzinfo=AMSTERDAM)  # a Tuesday
    freeze(monkeypatch, moment)


def test_a_page_is_rendered_once_per_minute(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, 16, 59, 1)
    first, page = renders(app, client, "/nl/")
    at(monkeypatch, 16, 59, 58)
    again, same = renders(app, client, "/nl/")
    assert first > 0
    assert again == 0
    assert same == page
    assert "Nu open · tot 17:00" in page


def test_the_status_changes_exactly_at_the_minute(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, 16, 59, 59)
    assert "Nu open · tot 17:00" in client.get("/nl/").get_data(as_text=True)
    at(monkeypatch, 17, 0, 0)
    assert "Nu open · tot 17:00" not in client.get("/nl/").get_data(as_text=True)


def test_the_help_bar_on_a_route_page_changes_exactly_at_the_minute(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The help bar's "open now" is on every page, so every cached page follows the minute."""
    at(monkeypatch, 16, 59, 59)
    page = client.get("/nl/zorgen-over-jezelf").get_data(as_text=True)
    bar = page.split('class="help-bar"', 1)[1].split("</aside>", 1)[0]
    assert "Nu open · tot 17:00" in bar
    at(monkeypatch, 17, 0, 0)
    page = client.get("/nl/zorgen-over-jezelf").get_data(as_text=True)
    bar = page.split('class="help-bar"', 1)[1].split("</aside>", 1)[0]
    assert "Nu open" not in bar
    assert "Gesloten" in bar


def test_a_content_change_shows_at_once(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, 10, 0)
    assert "0800 266 64 36" in client.get("/en/contact").get_data(as_text=True)
    with app.app_context():
        db.session.get(Contact, "helpline").phone = "0800 000 00 00"
        bump_revision(db.session, "contacts")
        db.session.commit()
    assert "0800 000 00 00" in client.get("/en/contact").get_data(as_text=True)


def test_languages_and_pages_are_kept_apart(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, 10, 0)
    nl = client.get("/nl/contact").get_data(as_text=True)
    en = client.get("/en/contact").get_data(as_text=True)
    assert '<html lang="nl">' in nl
    assert '<html lang="en">' in en


@pytest.mark.parametrize("path", ["/nl/", "/en/contact", "/sitemap.xml", "/robots.txt"])
def test_public_answers_may_be_kept_by_the_front_cache_until_the_next_minute(
    client: FlaskClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert 1 <= int(response.headers["X-Accel-Expires"]) <= 60  # noqa: PLR2004
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "path", ["/nl/MRKnosuchpage", "/nl/?q=1", "/staff/login", "/nl/chat", "/api/status?at=x"]
)
def test_the_front_cache_never_keeps_errors_queries_staff_or_chat(
    client: FlaskClient, path: str
) -> None:
    assert "X-Accel-Expires" not in client.get(path).headers


def test_the_front_cache_never_keeps_a_posted_answer(client: FlaskClient) -> None:
    assert "X-Accel-Expires" not in client.post("/nl/", data={"q": "1"}).headers
