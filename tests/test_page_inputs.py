"""Pages declare the state they read, and the page cache holds them to it (issue 14).

The per-minute page cache (app/page_cache.py) keys a kept page by the inputs its row in
app/public/page_table.py declares. A page that reads state it did not declare would be served
stale for the rest of its minute; these tests prove such a page is caught, not kept.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask, template_rendered
from flask.testing import FlaskClient

from app.contacts import Contact
from app.content import contact
from app.db import db
from app.page_cache import UndeclaredInput, cached_page
from app.page_inputs import Input
from app.public import page_table
from app.public.pages import PAGES, PAGES_BY_KEY
from app.public.routes import page_url
from app.revision import bump_revision
from tests.clock import Clock
from tests.conftest import make_app

TRUST = "/en/anonymous-and-confidential"
# Placeholder hours (app/hours/seed.py): the chat opens Tuesday 19-22, and only while its hours
# say open does a page ask whether a counsellor is free; so the pages read every input then.
CHAT_HOURS = dt.datetime(2026, 12, 1, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def without(name: Input) -> page_table.PageRow:
    """The trust page's row as if its author had forgotten one input."""
    return page_table.PageRow(reads=page_table.LAYOUT - {name})


def render_count(app: Flask, client: FlaskClient, url: str) -> tuple[int, str]:
    seen: list[object] = []

    def record(sender: Flask, template: object, context: object, **extra: object) -> None:
        seen.append(template)

    with template_rendered.connected_to(record, app):
        body = client.get(url).get_data(as_text=True)
    return len(seen), body


def test_the_page_table_has_one_row_for_every_page() -> None:
    assert set(page_table.PAGE_TABLE) == set(PAGES_BY_KEY)


def test_every_page_reads_only_the_inputs_it_declares(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    """Under test a read of an undeclared input raises, so each page answering 200 in both
    languages is the proof that every row is complete."""
    clock.set(CHAT_HOURS)
    with app.test_request_context():
        urls = [page_url(page.key, lang) for page in PAGES for lang in ("nl", "en")]
    for url in urls:
        assert client.get(url).status_code == 200, url  # noqa: PLR2004


@pytest.mark.parametrize("name", sorted(page_table.LAYOUT))
def test_a_page_that_reads_an_undeclared_input_is_caught(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, clock: Clock, name: Input
) -> None:
    clock.set(CHAT_HOURS)
    monkeypatch.setitem(page_table.PAGE_TABLE, "trust", without(name))
    with pytest.raises(UndeclaredInput, match=str(name)):
        client.get(TRUST)


def test_a_render_reading_more_than_its_declaration_is_refused(app: Flask) -> None:
    with app.test_request_context("/en/"), pytest.raises(UndeclaredInput, match="contacts"):
        cached_page("/en/", frozenset({Input.HOURS}), lambda: contact("helpline").phone)


def test_in_production_an_undeclared_read_is_shown_fresh_and_never_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """Without TESTING the visitor still gets the right page: rendered each time, not kept by
    us nor by nginx, and one log line names the inputs, never the page or the request."""
    site = make_app(tmp_path, TESTING=False)
    client = site.test_client()
    monkeypatch.setitem(page_table.PAGE_TABLE, "trust", without(Input.CONTACTS))
    first, _ = render_count(site, client, TRUST)
    response = client.get(TRUST)
    assert first > 0
    assert response.status_code == 200  # noqa: PLR2004
    assert "X-Accel-Expires" not in response.headers
    again, _ = render_count(site, client, TRUST)
    assert again > 0
    logged = capfd.readouterr().err
    assert "undeclared inputs (contacts)" in logged
    assert "anonymous-and-confidential" not in logged
    assert "trust" not in logged


def test_a_declared_input_that_changes_renders_the_page_again(
    app: Flask, client: FlaskClient
) -> None:
    first, page = render_count(app, client, TRUST)
    again, _ = render_count(app, client, TRUST)
    assert first > 0
    assert again == 0
    with app.app_context():
        db.session.get(Contact, "helpline").phone = "0800 000 00 00"
        bump_revision(db.session, "contacts")
        db.session.commit()
    changed, page = render_count(app, client, TRUST)
    assert changed > 0
    assert "0800 000 00 00" in page
