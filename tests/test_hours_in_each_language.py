"""The contact and home pages in each language: holiday names and staff notes in the page's
language (never Dutch on English pages), and every changed day listed (issue 11)."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.db import db
from app.hours.schedule_json import dump_schedule, parse_schedule
from app.hours.store import load_schedule, save_schedule
from tests.clock import freeze

AMSTERDAM = dt.timezone(dt.timedelta(hours=1))
TUESDAY_MORNING = dt.datetime(2026, 12, 1, 10, 0, tzinfo=AMSTERDAM)
DUTCH_WORDS = ("Kerstavond", "Oudejaarsdag", "Eerste kerstdag", "Nieuwjaarsdag", "Kerst")


def at(monkeypatch: pytest.MonkeyPatch, moment: dt.datetime) -> None:
    freeze(monkeypatch, moment)


@pytest.fixture
def english_christmas_eve(app: Flask) -> None:
    """The seeded hours, with an English note on the phone's Christmas Eve only (31 December
    keeps its Dutch note alone, as a file from before English notes would)."""
    with app.app_context():
        schedule, version = load_schedule(db.session) or pytest.fail("no hours seeded")
        document = dump_schedule(schedule)
        for exception in document["channels"]["phone"]["exceptions"]:  # type: ignore[index]
            if exception["note"] == "Kerstavond":
                exception["note_en"] = "Christmas Eve"
        save_schedule(db.session, parse_schedule(document), expected_version=version)


def text_of(client: FlaskClient, url: str) -> str:
    return html.unescape(client.get(url).get_data(as_text=True))


def changes_of(page: str, channel: str) -> list[str]:
    """The items of the channel's "Changed opening hours" list, as plain text."""
    section = page.split(f'id="hours-{channel}"', 1)[1].split("<h3", 1)[0]
    listing = section.split('<ul class="hours-changes">', 1)[1].split("</ul>", 1)[0]
    items = re.findall(r"<li>(.*?)</li>", listing, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in items]


def test_english_contact_page_shows_english_names_and_notes_only(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, english_christmas_eve: None
) -> None:
    at(monkeypatch, TUESDAY_MORNING)
    page = text_of(client, "/en/contact")
    assert changes_of(page, "phone") == [
        "Thursday 24 December: 09:00–13:00 (Christmas Eve)",
        "Friday 25 December: closed (Christmas Day)",
        "Thursday 31 December: 09:00–13:00",  # no English note: the hours say it
        "Friday 1 January: closed (New Year's Day)",
    ]
    main = page.split("<main", 1)[1]
    for dutch in DUTCH_WORDS:
        assert dutch not in main, dutch


def test_dutch_contact_page_shows_the_dutch_names_and_notes(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, english_christmas_eve: None
) -> None:
    at(monkeypatch, TUESDAY_MORNING)
    page = text_of(client, "/nl/contact")
    assert changes_of(page, "phone") == [
        "donderdag 24 december: 09:00–13:00 (Kerstavond)",
        "vrijdag 25 december: gesloten (Eerste kerstdag)",
        "donderdag 31 december: 09:00–13:00 (Oudejaarsdag)",
        "vrijdag 1 januari: gesloten (Nieuwjaarsdag)",
    ]
    assert "Christmas" not in page


def test_every_changed_day_is_listed_holidays_included(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Christmas Day and New Year's Day close the phone (a Friday each: normally open);
    Boxing Day is a Saturday, when the phone is closed anyway, so it is no change. The chat's
    own three-day closure stays one line."""
    at(monkeypatch, TUESDAY_MORNING)
    page = text_of(client, "/nl/contact")
    phone = changes_of(page, "phone")
    assert [item.split(":")[0] for item in phone] == [
        "donderdag 24 december",
        "vrijdag 25 december",
        "donderdag 31 december",
        "vrijdag 1 januari",
    ]
    assert changes_of(page, "chat") == [
        "donderdag 24 december – zaterdag 26 december: gesloten (Kerst)"
    ]


def test_json_ld_lists_the_closing_holidays_as_special_hours(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, TUESDAY_MORNING)
    page = client.get("/en/contact").get_data(as_text=True)
    json_ld = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert '"validFrom": "2026-12-25", "validThrough": "2026-12-25"' in json_ld
    assert '"description": "Christmas Day"' in json_ld
    assert "Kerst" not in json_ld


def test_status_names_the_holiday_in_the_page_language(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, dt.datetime(2026, 12, 25, 12, 0, tzinfo=AMSTERDAM))
    assert "Closed today (Christmas Day)" in text_of(client, "/en/")
    assert "Vandaag gesloten (Eerste kerstdag)" in text_of(client, "/nl/")


def test_status_without_an_english_note_says_closed_today_neutrally(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, dt.datetime(2026, 12, 31, 18, 0, tzinfo=AMSTERDAM))
    english = text_of(client, "/en/")
    assert "Closed today · open again on Monday at 09:00" in english
    assert "Oudejaarsdag" not in english
    assert "Vandaag gesloten (Oudejaarsdag)" in text_of(client, "/nl/")
