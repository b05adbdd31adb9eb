"""Opening hours as visitors, partner sites and operators get them (API, pages, CLI)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from app.db import db
from app.hours.schedule_json import parse_schedule
from app.hours.store import load_schedule, save_schedule
from tests.clock import freeze
from tests.conftest import make_app

AMSTERDAM = dt.timezone(dt.timedelta(hours=1))
# Placeholder hours (app/hours/seed.py): phone Tue 09-17 and 19-21; chat Tue 19-22.
TUESDAY_MORNING = dt.datetime(2026, 12, 1, 10, 0, tzinfo=AMSTERDAM)
TUESDAY_LATE = dt.datetime(2026, 12, 1, 23, 30, tzinfo=AMSTERDAM)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch, TUESDAY_MORNING)


def test_api_status_now(client: FlaskClient, frozen: None) -> None:
    response = client.get("/api/status")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert response.headers["Cache-Control"] == "public, max-age=30"
    assert "Set-Cookie" not in response.headers
    body = response.get_json()
    assert body["timezone"] == "Europe/Amsterdam"
    assert body["at"] == "2026-12-01T10:00:00+01:00"
    assert list(body["channels"]) == ["phone", "chat"]
    assert body["channels"]["phone"] == {
        "open": True,
        "closes_at": "2026-12-01T17:00:00+01:00",
        "opens_at": None,
        "note": None,
        "note_en": None,
    }
    assert body["channels"]["chat"]["open"] is False
    assert body["channels"]["chat"]["opens_at"] == "2026-12-01T19:00:00+01:00"


def test_api_status_at_an_instant(client: FlaskClient) -> None:
    body = client.get("/api/status?at=2026-12-24T18:00:00%2B01:00").get_json()
    assert body["channels"]["phone"]["open"] is False
    assert body["channels"]["phone"]["note"] == "Kerstavond"
    assert body["channels"]["chat"]["opens_at"] == "2026-12-28T13:00:00+01:00"
    # A "+" left unencoded in a query string arrives as a space; it still means the offset.
    same = client.get("/api/status?at=2026-12-24T18:00:00+01:00").get_json()
    assert same == body


@pytest.mark.parametrize(
    "bad", ["yesterday", "2026-12-24T18:00:00", "2026-13-01T00:00:00Z", "9" * 500, "", "%00"]
)
def test_api_status_rejects_a_bad_instant_clearly(client: FlaskClient, bad: str) -> None:
    response = client.get("/api/status", query_string={"at": bad})
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_instant"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_openapi_document_describes_the_status_api(client: FlaskClient) -> None:
    document = client.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert "/api/status" in document["paths"]
    assert set(document["components"]["schemas"]["ChannelStatus"]["required"]) == {
        "open",
        "closes_at",
        "opens_at",
        "note",
        "note_en",
    }


def test_reminder_is_a_neutral_calendar_event_at_the_next_opening(
    client: FlaskClient, frozen: None
) -> None:
    response = client.get("/nl/reminder/chat.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    text = response.get_data(as_text=True)
    assert "DTSTART:20261201T180000Z" in text  # 19:00 in Amsterdam
    assert "SUMMARY:Herinnering" in text
    for word in ("Stop it", "chat", "hulp", "help"):
        assert word.lower() not in text.split("BEGIN:VEVENT")[1].split("UID")[0].lower()
    assert client.get("/nl/reminder/fax.ics").status_code == 404


def test_pages_show_the_status_next_to_each_channel(client: FlaskClient, frozen: None) -> None:
    nl = client.get("/nl/").get_data(as_text=True)
    assert "Nu open · tot 17:00" in nl
    assert "Gesloten · weer open vandaag om 19:00" in nl
    en = client.get("/en/").get_data(as_text=True)
    assert "Open now · until 17:00" in en
    assert "Closed · open again today at 19:00" in en


def test_closed_path_when_both_channels_are_closed(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch, TUESDAY_LATE)
    for url in ("/nl/", "/nl/contact"):
        page = client.get(url).get_data(as_text=True)
        assert 'id="closed-now-title"' in page, url
        assert "weer open morgen om 09:00" in page
        assert "tel:113" in page
        assert "tel:112" in page


def test_contact_page_has_week_tables_and_json_ld(client: FlaskClient, frozen: None) -> None:
    page = client.get("/en/contact").get_data(as_text=True)
    assert page.count('class="hours-table"') == 2
    assert "Tuesday 1 December" in page
    assert "/en/reminder/phone.ics" in page
    json_ld = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    data = json.loads(json_ld)
    points = data["contactPoint"]
    assert [p["contactType"] for p in points] == ["phone", "chat"]
    assert points[0]["telephone"] == "0800 266 64 36"
    assert points[1]["url"] == "http://127.0.0.1:8000/en/chat"  # our own chat, not a third party
    specs = points[0]["hoursAvailable"]
    assert {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": "https://schema.org/Tuesday",
        "opens": "19:00",
        "closes": "21:00",
    } in specs
    assert any(s.get("validFrom") == "2026-12-24" and s["closes"] == "13:00" for s in specs)


def test_a_change_saved_by_one_worker_reaches_another(tmp_path: Path) -> None:
    worker_a = make_app(tmp_path, CONTENT_CHECK_SECONDS=0)
    database = worker_a.config["SQLALCHEMY_DATABASE_URI"]
    worker_b = make_app(tmp_path / "b", SQLALCHEMY_DATABASE_URI=database)
    at = "?at=2026-12-01T10:00:00%2B01:00"
    assert worker_a.test_client().get("/api/status" + at).get_json()["channels"]["phone"]["open"]
    with worker_b.app_context():
        schedule, version = load_schedule(db.session) or pytest.fail("no schedule")
        closed = parse_schedule(
            {
                "timezone": "Europe/Amsterdam",
                "channels": {"phone": {"weekly": {}, "holidays": "normal"}},
            }
        )
        save_schedule(db.session, closed, expected_version=version)
    body = worker_a.test_client().get("/api/status" + at).get_json()
    assert list(body["channels"]) == ["phone"]
    assert body["channels"]["phone"]["open"] is False


def test_cli_export_import_round_trip(runner: FlaskCliRunner, tmp_path: Path) -> None:
    exported = runner.invoke(args=["hours", "export"])
    assert exported.exit_code == 0
    document = json.loads(exported.output)
    assert document["channels"]["phone"]["weekly"]["tue"] == ["09:00-17:00", "19:00-21:00"]
    document["channels"]["chat"]["weekly"]["sun"] = ["22:00-02:00"]
    path = tmp_path / "hours.json"
    path.write_text(json.dumps(document))
    imported = runner.invoke(args=["hours", "import", str(path)])
    assert imported.exit_code == 0, imported.output
    again = json.loads(runner.invoke(args=["hours", "export"]).output)
    assert again == document


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{not json", "not a JSON file"),
        (b"\xff\xfe", "not a JSON file"),
        (
            json.dumps(
                {
                    "timezone": "Europe/Amsterdam",
                    "channels": {"chat": {"weekly": {"tue": ["25:00-26:00"]}}},
                }
            ).encode(),
            "channels.chat.weekly.tue[0]",
        ),
        (json.dumps({"timezone": "Mars/Olympus", "channels": {}}).encode(), "timezone"),
    ],
)
def test_cli_import_of_a_broken_file_changes_nothing(
    runner: FlaskCliRunner, app: Flask, tmp_path: Path, content: bytes, expected: str
) -> None:
    before = runner.invoke(args=["hours", "export"]).output
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    result = runner.invoke(args=["hours", "import", str(path)])
    assert result.exit_code != 0
    assert expected in result.output
    assert "Traceback" not in result.output
    assert runner.invoke(args=["hours", "export"]).output == before


def test_cli_import_prints_each_problem_in_english_at_its_path(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    document = {
        "timezone": "Europe/Amsterdam",
        "channels": {
            "chat": {"weekly": {"fri": ["22:00-03:00"], "sat": ["02:00-05:00"]}, "holidays": "x"}
        },
    }
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document))
    result = runner.invoke(args=["hours", "import", str(path)])
    assert result.exit_code != 0
    lines = result.output.splitlines()
    assert "channels.chat.weekly.sat[0]: overlaps fri 22:00-03:00" in lines
    assert 'channels.chat.holidays: expected "closed" or "normal"' in lines
    assert "Error: 2 problem(s); nothing was changed" in lines


def test_cli_status_prints_the_api_json(runner: FlaskCliRunner, client: FlaskClient) -> None:
    at = "2026-04-27T12:00:00+02:00"  # King's Day 2026: holiday policy closes both channels
    printed = json.loads(runner.invoke(args=["hours", "status", "--at", at]).output)
    served = client.get("/api/status", query_string={"at": at}).get_json()
    assert printed == served
    assert printed["channels"]["phone"]["note"] == "Koningsdag"
    bad = runner.invoke(args=["hours", "status", "--at", "noon"])
    assert bad.exit_code != 0
    assert "ISO 8601" in bad.output
