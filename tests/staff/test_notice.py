"""The public notice: staff write plain text (paragraphs, https addresses as links), only simple
formatting and https links survive, it shows on every public page in the page's language between
its start and end, notices stored as HTML before still show and edit, and a broken database
hides it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from app.db import db
from app.notice.store import load_notice
from app.notice.text import html_to_text, sanitize, text_to_html
from app.staff.audit import AuditEntry
from tests.clock import Clock
from tests.staff.conftest import StaffLogin
from tests.staff.helpers import form_fields, page_text, submit, translated

URL = "/staff/notice"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PUBLIC_PAGES = ("/nl/", "/nl/contact", "/en/", "/en/no-such-page")


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("Chat <strong>closed</strong> today.", "Chat <strong>closed</strong> today."),
        ("<p>One<br>two <em>three</em></p>", "<p>One<br>two <em>three</em></p>"),
        ("<script>alert(1)</script>Hi", "alert(1)Hi"),
        ('<img src="x" onerror="alert(1)">Hi', "Hi"),
        ('<a href="javascript:alert(1)">click</a>', "click"),
        ('<a href="http://example.nl/">plain http</a>', "plain http"),
        ('<a href="//example.nl/">no scheme</a>', "no scheme"),
        ('<a href="data:text/html,x">data</a>', "data"),
        (
            '<a href="https://example.nl/" onclick="x()" target="_blank">ok</a>',
            '<a href="https://example.nl/" rel="noreferrer noopener">ok</a>',
        ),
        ('<strong style="color:red" class="x">s</strong>', "<strong>s</strong>"),
        ('<h1>Big</h1><iframe src="https://x.nl"></iframe>', "Big"),
    ],
)
def test_sanitize_keeps_only_simple_formatting_and_https_links(dirty: str, clean: str) -> None:
    assert sanitize(dirty) == clean
    assert sanitize(clean) == clean  # saving the editor's own text again changes nothing


def local(moment: dt.datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%Y-%m-%dT%H:%M")


def save(staff: StaffLogin, **changes: str | None):  # type: ignore[no-untyped-def]
    defaults = {"text_nl": "Chat is vandaag dicht.", "text_en": "Chat is closed today."}
    return submit(staff.client, URL, {**defaults, **changes})


def notice_on(client: FlaskClient, path: str) -> str | None:
    page = client.get(path).get_data(as_text=True)
    if 'class="site-notice"' not in page:
        return None
    return page.split('class="site-notice__text">', 1)[1].split("</div>", 1)[0]


def test_a_saved_notice_shows_on_every_public_page_in_its_language(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    client = logged_in_admin.client
    assert notice_on(client, "/nl/") is None
    assert save(logged_in_admin).status_code == 302
    for path in PUBLIC_PAGES:
        expected = "Chat is closed today." if path.startswith("/en/") else "Chat is vandaag dicht."
        assert notice_on(client, path) == f"<p>{expected}</p>", path
    page = client.get("/nl/").get_data(as_text=True)
    assert page.index('class="site-notice"') < page.index("<h1")
    assert 'aria-labelledby="site-notice-title"' in page
    assert 'role="status"' not in page.split('class="site-notice"', 1)[1][:300]
    with app.app_context():
        entry = db.session.query(AuditEntry).filter_by(action="notice changed").one()
        assert "Chat is closed today." in entry.after


def test_tags_typed_in_the_editor_are_shown_as_text_never_as_markup(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    dirty = (
        '<script>alert(1)</script><img src=x onerror="alert(2)">'
        '<a href="javascript:alert(3)">a</a> http://example.nl https://example.nl/hulp'
    )
    assert save(logged_in_admin, text_nl=dirty, text_en=dirty).status_code == 302
    shown = notice_on(logged_in_admin.client, "/nl/")
    assert shown == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;"
        "&lt;a href=&quot;javascript:alert(3)&quot;&gt;a&lt;/a&gt; http://example.nl "
        '<a href="https://example.nl/hulp" rel="noreferrer noopener">https://example.nl/hulp</a>'
        "</p>"
    )
    with app.app_context():
        assert "<script" not in load_notice(db.session).html_nl


def test_plain_text_becomes_paragraphs_line_breaks_and_https_links(
    logged_in_admin: StaffLogin,
) -> None:
    typed = "Chat is dicht.\r\nBel ons gerust.\r\n\r\nMeer: https://example.nl/hulp."
    assert save(logged_in_admin, text_nl=typed).status_code == 302
    assert notice_on(logged_in_admin.client, "/nl/") == (
        "<p>Chat is dicht.<br>Bel ons gerust.</p><p>Meer: "
        '<a href="https://example.nl/hulp" rel="noreferrer noopener">https://example.nl/hulp</a>.'
        "</p>"
    )
    # The editor gives back what was typed, not tags.
    assert form_fields(logged_in_admin.client.get(URL))["text_nl"] == typed.replace("\r\n", "\n")


def test_a_notice_stored_as_html_still_shows_and_edits_as_plain_text(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    """Notices saved before the editor took plain text are HTML: visitors see them as before
    (converted on read, no migration), and the editor shows their words, link addresses kept."""
    assert save(logged_in_admin).status_code == 302
    old = '<p>Chat <strong>dicht</strong>.</p><p>Zie <a href="https://example.nl/">de site</a></p>'
    with app.app_context():
        db.session.execute(text("UPDATE notice SET html_nl = :html"), {"html": old})
        db.session.execute(text("UPDATE revision SET number = number + 1 WHERE key = 'notice'"))
        db.session.commit()
    assert notice_on(logged_in_admin.client, "/nl/") == (
        '<p>Chat <strong>dicht</strong>.</p><p>Zie <a href="https://example.nl/" '
        'rel="noreferrer noopener">de site</a></p>'
    )
    fields = form_fields(logged_in_admin.client.get(URL))
    assert fields["text_nl"] == "Chat dicht.\n\nZie de site (https://example.nl/)"
    assert logged_in_admin.client.post(URL, data=fields).status_code == 302
    assert 'href="https://example.nl/"' in (notice_on(logged_in_admin.client, "/nl/") or "")


PIECES = ["a", "b", " ", "<", ">", "&", '"', "'", "\n", "\r", "\t", " https://x.nl/p?q=1&r "]


@settings(deadline=None)  # no timed bounds in tests: the machine is shared
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_plain_text_survives_the_round_trip_through_html(typed: str) -> None:
    html = text_to_html(typed)
    assert sanitize(html) == html
    # Every word comes back; only the spacing between them may be tidied.
    assert html_to_text(html).split() == typed.split()


def test_a_row_written_around_the_editor_is_still_cleaned(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    assert save(logged_in_admin).status_code == 302
    with app.app_context():
        db.session.execute(text("UPDATE notice SET html_nl = '<script>alert(1)</script>x'"))
        db.session.execute(text("UPDATE revision SET number = number + 1 WHERE key = 'notice'"))
        db.session.commit()
    assert notice_on(logged_in_admin.client, "/nl/") == "alert(1)x"


def test_the_notice_shows_only_between_start_and_end(
    logged_in_admin: StaffLogin, clock: Clock
) -> None:
    start = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0) + dt.timedelta(hours=1)
    end = start + dt.timedelta(hours=2)
    response = save(logged_in_admin, starts_at=local(start), ends_at=local(end))
    assert response.status_code == 302
    client = logged_in_admin.client
    for moment, shown in [
        (start - dt.timedelta(minutes=1), False),
        (start, True),
        (end - dt.timedelta(minutes=1), True),
        (end, False),
    ]:
        clock.set(moment)
        assert (notice_on(client, "/en/") is not None) is shown, moment


def test_remove_takes_the_notice_down(logged_in_admin: StaffLogin) -> None:
    assert save(logged_in_admin).status_code == 302
    assert submit(logged_in_admin.client, URL, {"action": "remove"}).status_code == 302
    assert notice_on(logged_in_admin.client, "/nl/") is None
    assert form_fields(logged_in_admin.client.get(URL))["text_nl"] == ""


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text_en": ""}, "text_en"),
        ({"text_nl": ""}, "text_nl"),
        ({"text_nl": "x" * 1001}, "text_nl"),
        ({"starts_at": "2030-01-02T10:00", "ends_at": "2030-01-01T10:00"}, "ends_at"),
        ({"ends_at": "2001-01-01T10:00"}, "ends_at"),
        ({"starts_at": "next week"}, "starts_at"),
        ({"starts_at": "0001-01-01T00:00", "ends_at": "2030-01-01T10:00"}, "starts_at"),
        ({"ends_at": "9999-12-31T23:59"}, "ends_at"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_kept(
    app: Flask, logged_in_admin: StaffLogin, changes: dict[str, str], field: str
) -> None:
    response = save(logged_in_admin, **changes)
    assert response.status_code == 200
    page = page_text(response)
    assert f'id="{field}-error"' in page
    assert form_fields(page)["text_nl"] == changes.get("text_nl", "Chat is vandaag dicht.")
    with app.app_context():
        assert load_notice(db.session).version == 0  # nothing was saved


@pytest.mark.parametrize(
    "junk",
    [{"text_nl": None, "text_en": None}, {"version": "x"}, {"version": None}, {"action": "??"}],
)
def test_junk_never_breaks_the_editor(logged_in_admin: StaffLogin, junk: dict[str, None]) -> None:
    assert save(logged_in_admin, **junk).status_code in (200, 302, 409)


def test_the_editor_says_what_visitors_see(app: Flask, logged_in_admin: StaffLogin) -> None:
    page = page_text(logged_in_admin.client.get(URL))
    assert translated(app, "There is no notice.") in page
    save(logged_in_admin)
    page = page_text(logged_in_admin.client.get(URL))
    assert translated(app, "Visitors see this notice now.") in page


def test_a_database_failure_means_no_notice_not_a_broken_page(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    with app.app_context():
        db.session.execute(text("DROP TABLE notice"))
        db.session.commit()
    response = logged_in_admin.client.get("/nl/")
    assert response.status_code == 200
    assert 'class="site-notice"' not in response.get_data(as_text=True)
