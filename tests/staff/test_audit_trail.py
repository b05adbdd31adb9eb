"""The audit trail says what changed, in words, in the reader's language and zone (issue 11):
`changes` finds the differences (pure, tested directly), the page words them."""

from __future__ import annotations

import datetime as dt
import json

from flask import Flask

from app.db import db
from app.hours.seed import PLACEHOLDER_HOURS
from app.staff.audit import AuditEntry
from app.staff.audit_changes import Change, DateHours, changes
from tests.staff.conftest import StaffLogin
from tests.staff.helpers import page_text, submit


def hours(**phone: object) -> str:
    document = json.loads(json.dumps(PLACEHOLDER_HOURS))
    document["channels"]["phone"].update(phone)
    return json.dumps(document)


def test_a_weekday_change_is_one_change() -> None:
    week = json.loads(hours())["channels"]["phone"]["weekly"]
    later = {**week, "mon": ["10:00-17:00"]}
    assert changes(hours(), hours(weekly=later)) == [
        Change("weekly", "mon", ("09:00-17:00",), ("10:00-17:00",), "phone")
    ]


def test_policy_and_dates_added_changed_and_removed() -> None:
    before = hours()
    after = hours(
        holidays="normal",
        exceptions=[
            {
                "date": "2026-12-24",
                "closed": True,
                "note": "Kerstavond",
                "note_en": "Christmas Eve",
            },
            {"from": "2027-01-02", "to": "2027-01-03", "closed": True, "note": "Teamdag"},
        ],
    )
    assert changes(before, after) == [
        Change("holidays", "", "closed", "normal", "phone"),
        Change(
            "date",
            "2026-12-24",
            DateHours(("09:00-13:00",), "Kerstavond", ""),
            DateHours(None, "Kerstavond", "Christmas Eve"),
            "phone",
        ),
        Change(
            "date", "2026-12-31", DateHours(("09:00-13:00",), "Oudejaarsdag", ""), None, "phone"
        ),
        Change("date", "2027-01-02/2027-01-03", None, DateHours(None, "Teamdag", ""), "phone"),
    ]


def test_an_old_entry_without_english_notes_equals_one_with_empty_ones() -> None:
    with_empty = json.loads(hours())
    for exception in with_empty["channels"]["phone"]["exceptions"]:
        exception["note_en"] = ""
    assert changes(hours(), json.dumps(with_empty)) == []


def test_fields_instants_and_the_first_save() -> None:
    before = json.dumps({"html_nl": "<p>a</p>", "starts_at": "", "ends_at": ""})
    after = json.dumps({"html_nl": "<p>b</p>", "starts_at": "2026-12-01T10:00:00+00:00"})
    assert changes(before, after) == [
        Change("field", "html_nl", "<p>a</p>", "<p>b</p>"),
        Change("field", "starts_at", None, dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC)),
    ]
    assert changes("", json.dumps({"admin": True})) == [Change("field", "admin", None, True)]
    assert changes("", "") == []


def test_text_that_is_not_json_is_still_shown() -> None:
    assert changes("old words", "new words") == [Change("field", "", "old words", "new words")]


def test_the_trail_page_shows_changes_in_words_in_dutch_and_local_time(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    client = logged_in_admin.client
    assert submit(client, "/staff/hours", {"channel_phone-mon": "10:00-17:00"}).status_code == 302
    page = page_text(client.get("/staff/admin/audit"))
    assert "<li>Telefoon, maandag: 09:00-17:00 → 10:00-17:00</li>" in page
    assert "Openingstijden gewijzigd" in page  # not "hours changed"
    assert "hours changed" not in page
    assert '"weekly"' not in page  # no raw JSON


def test_the_trail_shows_times_in_the_helplines_zone(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    with app.app_context():
        at = dt.datetime(2026, 12, 1, 10, 39, tzinfo=dt.UTC)
        db.session.add(AuditEntry(at=at, actor="someone", action="notice changed", target="notice"))
        db.session.commit()
    page = page_text(logged_in_admin.client.get("/staff/admin/audit"))
    row = next(r for r in page.split("<tr>") if "someone" in r)
    assert "<td>1 dec 2026 11:39</td>" in row  # 10:39 UTC is 11:39 in Amsterdam
    assert "Mededeling gewijzigd" in row
