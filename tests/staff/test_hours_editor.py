"""The opening-hours editor: weekly hours, exceptions, preview, clock-change warnings, the
"to confirm" flag and the audit trail (the JSON download and upload: test_hours_file.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from app.db import db
from app.hours.schedule_json import parse_schedule
from app.hours.store import is_to_confirm, save_schedule
from app.staff.audit import AuditEntry
from tests.clock import Clock
from tests.staff.conftest import StaffLogin
from tests.staff.helpers import form_fields, page_text, submit, translated
from tests.staff.hours_pages import URL, error_of, stored, today


def test_the_editor_shows_the_hours_and_the_to_confirm_flag(
    logged_in_admin: StaffLogin,
) -> None:
    page = logged_in_admin.client.get(URL)
    assert page.status_code == 200
    fields = form_fields(page)
    assert fields["channel_phone-tue"] == "09:00-17:00, 19:00-21:00"
    assert fields["channel_chat-holidays"] == "closed"
    assert 'id="to-confirm"' in page.get_data(as_text=True)
    # The seeded Christmas closure of chat is one row with its note.
    assert "Kerst" in fields.values()


def test_saving_changes_the_public_hours_clears_the_flag_and_is_audited(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    client = logged_in_admin.client
    response = submit(client, URL, {"channel_chat-tue": "10:00-11:30, 19:00-22:00"})
    assert response.status_code == 302
    assert stored(app)["channels"]["chat"]["weekly"]["tue"] == ["10:00-11:30", "19:00-22:00"]  # type: ignore[index]
    with app.app_context():
        assert not is_to_confirm(db.session)
        entry = db.session.query(AuditEntry).filter_by(action="hours changed").one()
        assert entry.actor == "admin.one"
        assert '"19:00-22:00"' in entry.before
        assert "10:00-11:30" in entry.after
        assert "10:00-11:30" not in entry.before
    assert 'id="to-confirm"' not in client.get(URL).get_data(as_text=True)
    assert "10:00–11:30" in client.get("/nl/contact").get_data(as_text=True)


def test_times_may_be_written_loosely(app: Flask, logged_in_admin: StaffLogin) -> None:
    response = submit(
        logged_in_admin.client, URL, {"channel_phone-mon": "9:00 - 12:00; 13.00–17.00"}
    )
    assert response.status_code == 302
    assert stored(app)["channels"]["phone"]["weekly"]["mon"] == ["09:00-12:00", "13:00-17:00"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        (
            {"channel_chat-mon": "09:00-12:00, 11:00-13:00"},
            "channel_chat-mon",
            "11:00-13:00: ",
        ),
        ({"channel_chat-mon": "25:00-26:00"}, "channel_chat-mon", "25:00-26:00: "),
        ({"channel_chat-mon": "morning"}, "channel_chat-mon", "morning: "),
        (
            {"channel_phone-fri": "22:00-03:00", "channel_phone-sat": "02:00-05:00"},
            "channel_phone-sat",
            "02:00-05:00: ",
        ),
    ],
)
def test_bad_hours_are_refused_on_their_field_and_kept(
    app: Flask,
    logged_in_admin: StaffLogin,
    changes: dict[str, str],
    field: str,
    expected: str,
) -> None:
    before = stored(app)
    response = submit(logged_in_admin.client, URL, changes)
    assert response.status_code == 200
    page = page_text(response)
    assert error_of(page, field).startswith(expected)
    assert 'id="form-problems"' in page
    assert form_fields(page)[field] == changes[field]  # what was typed is still there
    assert stored(app) == before


def closure(day: dt.date, **row: str) -> dict[str, str]:
    """The first empty exception row (there are always two at the end), filled in."""
    return {"first": day.isoformat(), "closed": "y", "note": "Teamdag", "channel": "all", **row}


def with_row(fields: dict[str, str], row: dict[str, str]) -> dict[str, str]:
    indices = {int(k.split("-")[1]) for k in fields if k.startswith("exceptions-")}
    blank = min(i for i in indices if not fields[f"exceptions-{i}-first"])
    return {**fields, **{f"exceptions-{blank}-{key}": value for key, value in row.items()}}


def post_with_row(staff: StaffLogin, row: dict[str, str], action: str = "save"):  # type: ignore[no-untyped-def]
    fields = with_row(form_fields(staff.client.get(URL)), row)
    return staff.client.post(URL, data={**fields, "action": action})


def test_a_closure_for_all_channels_is_one_row(app: Flask, logged_in_admin: StaffLogin) -> None:
    day = today() + dt.timedelta(days=10)
    response = post_with_row(logged_in_admin, closure(day))
    assert response.status_code == 302
    expected = {"date": day.isoformat(), "closed": True, "note": "Teamdag", "note_en": ""}
    for channel in ("phone", "chat"):
        assert expected in stored(app)["channels"][channel]["exceptions"]  # type: ignore[index]
    fields = form_fields(logged_in_admin.client.get(URL))
    rows = [k for k, v in fields.items() if k.endswith("-first") and v == day.isoformat()]
    assert len(rows) == 1
    assert fields[rows[0].replace("-first", "-channel")] == "all"
    public = logged_in_admin.client.get("/nl/contact").get_data(as_text=True)
    assert "Teamdag" in public


def test_a_period_with_its_own_hours_for_one_channel(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    first = today() + dt.timedelta(days=20)
    last = first + dt.timedelta(days=2)
    row = {"first": first.isoformat(), "last": last.isoformat(), "hours": "10:00-12:00"}
    response = post_with_row(logged_in_admin, {**row, "channel": "phone", "note": "Zomer"})
    assert response.status_code == 302
    assert {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "hours": ["10:00-12:00"],
        "note": "Zomer",
        "note_en": "",
    } in stored(app)["channels"]["phone"]["exceptions"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"first": "+10", "closed": "y", "hours": "10:00-12:00"}, "hours"),
        ({"first": "+10", "closed": None}, "hours"),
        ({"first": "+10", "last": "+8"}, "last"),
        ({"first": "not a date"}, "first"),
        ({"first": "2026-02-30"}, "first"),
        ({"first": "", "note": "Only a note"}, "first"),
        ({"first": "+10", "closed": None, "hours": "10:00-09:00, 08:00-12:00"}, "hours"),
        ({"first": "-3"}, "first"),
        ({"first": "-10", "last": "-2"}, "last"),
    ],
)
def test_bad_exception_rows_are_refused_on_their_field(
    app: Flask, logged_in_admin: StaffLogin, row: dict[str, str | None], field: str
) -> None:
    def resolve(value: str | None) -> str | None:
        if value and value[0] in "+-" and value[1:].isdigit():
            return (today() + dt.timedelta(days=int(value))).isoformat()
        return value

    filled = {k: resolve(v) for k, v in closure(today(), **row).items()}  # type: ignore[arg-type]
    fields = with_row(form_fields(logged_in_admin.client.get(URL)), {})
    index = min(int(k.split("-")[1]) for k in fields if k.endswith("-first") and not fields[k])
    for key, value in filled.items():
        fields.pop(f"exceptions-{index}-{key}", None)
        if value is not None:
            fields[f"exceptions-{index}-{key}"] = value
    before = stored(app)
    response = logged_in_admin.client.post(URL, data=fields)
    assert response.status_code == 200
    assert error_of(page_text(response), f"exceptions-{index}-{field}")
    assert stored(app) == before


def test_overlapping_exceptions_name_each_other(logged_in_admin: StaffLogin) -> None:
    day = today() + dt.timedelta(days=30)
    fields = form_fields(logged_in_admin.client.get(URL))
    fields = with_row(fields, closure(day, channel="chat"))
    fields = with_row(fields, closure(day - dt.timedelta(days=1), last=day.isoformat()))
    response = logged_in_admin.client.post(URL, data=fields)
    assert response.status_code == 200
    assert day.isoformat() in page_text(response).split('id="form-problems"')[1]


def test_an_exception_already_stored_may_lie_in_the_past(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    past = (today() - dt.timedelta(days=40)).isoformat()
    document = stored(app)
    document["channels"]["chat"]["exceptions"].append(  # type: ignore[index]
        {"date": past, "closed": True, "note": "Old"}
    )
    with app.app_context():
        save_schedule(db.session, parse_schedule(document), expected_version=None)
    response = submit(logged_in_admin.client, URL, {"channel_phone-sun": "10:00-12:00"})
    assert response.status_code == 302
    # Stored before English notes existed: kept, now with an empty English note.
    kept = {"date": past, "closed": True, "note": "Old", "note_en": ""}
    assert kept in stored(app)["channels"]["chat"]["exceptions"]  # type: ignore[index]


def test_removing_an_exception(app: Flask, logged_in_admin: StaffLogin) -> None:
    fields = form_fields(logged_in_admin.client.get(URL))
    row = next(k for k, v in fields.items() if v == "Kerstavond").removesuffix("-note")
    fields[f"{row}-remove"] = "y"
    assert logged_in_admin.client.post(URL, data=fields).status_code == 302
    notes = [e["note"] for e in stored(app)["channels"]["phone"]["exceptions"]]  # type: ignore[index]
    assert "Kerstavond" not in notes
    assert "Oudejaarsdag" in notes


def test_preview_shows_the_status_and_two_weeks_without_saving(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    before = stored(app)
    fields = form_fields(logged_in_admin.client.get(URL))
    fields.update({"channel_phone-tue": "09:00-18:00", "preview_at": "2026-12-01T10:00"})
    response = logged_in_admin.client.post(URL, data={**fields, "action": "preview"})
    assert response.status_code == 200
    page = page_text(response)
    section = page.split('id="preview"', 1)[1].split("</section>", 1)[0]
    assert translated(app, "Open now · until %(time)s", time="18:00") in section
    assert translated(app, "Closed · open again %(when)s", when="") in section  # chat
    assert section.count('<th scope="row">') == 14
    assert form_fields(page)["channel_phone-tue"] == "09:00-18:00"
    assert stored(app) == before


def test_preview_of_bad_input_shows_the_errors_only(logged_in_admin: StaffLogin) -> None:
    fields = form_fields(logged_in_admin.client.get(URL))
    fields.update({"channel_phone-tue": "9 to 5", "preview_at": "2026-12-01T10:00"})
    page = page_text(logged_in_admin.client.post(URL, data={**fields, "action": "preview"}))
    assert error_of(page, "channel_phone-tue")
    assert 'id="preview"' not in page


@pytest.mark.parametrize("moment", ["tomorrow", "2026-12-01T10:00+05:00", "1500-01-01T10:00"])
def test_a_bad_preview_moment_is_explained(logged_in_admin: StaffLogin, moment: str) -> None:
    fields = {**form_fields(logged_in_admin.client.get(URL)), "preview_at": moment}
    response = logged_in_admin.client.post(URL, data={**fields, "action": "preview"})
    assert response.status_code == 200
    assert error_of(page_text(response), "preview_at")


def test_hours_in_the_clock_change_hour_get_a_warning(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    fields = form_fields(logged_in_admin.client.get(URL))
    plain = logged_in_admin.client.post(URL, data={**fields, "action": "preview"})
    assert 'id="clock-warnings"' not in plain.get_data(as_text=True)
    fields["channel_chat-sun"] = "02:30-05:00"
    fields["channel_chat-holidays"] = "normal"  # Easter Sunday 2027 is a clock-change day
    fields["channel_phone-sat"] = "20:00-02:00"
    response = logged_in_admin.client.post(URL, data={**fields, "action": "preview"})
    warnings = page_text(response).split('id="clock-warnings"', 1)[1].split("</div>", 1)[0]
    assert warnings.count("<li>") == 4  # two channels, two clock changes a year
    assert "02:30-05:00" in warnings
    assert "20:00-02:00" in warnings
    saved = logged_in_admin.client.post(URL, data={**fields, "action": "save"})
    assert saved.status_code == 302  # a warning, not an error
    assert "02:30-05:00" in page_text(logged_in_admin.client.get(URL)).split("<h1>")[0]


@pytest.mark.parametrize(
    "junk",
    [
        {"channel_chat-mon": "09:00-17:00, " * 5000},
        {"channel_chat-holidays": "sometimes"},
        {"exceptions-0-channel": "fax"},
        {"exceptions-0-first": "9" * 5000},
        {"exceptions-0-note": "x" * 5000},
        {"exceptions-99999999999999999999-first": "2030-01-01"},
        {"version": "not a number"},
        {"version": None},
        {"preview_at": "\x00", "action": "preview"},
        {"action": "explode"},
    ],
)
def test_junk_never_breaks_the_editor(
    app: Flask, logged_in_admin: StaffLogin, junk: dict[str, str | None]
) -> None:
    before = stored(app)
    response = submit(logged_in_admin.client, URL, junk)
    assert response.status_code in (200, 302, 409)
    if response.status_code != 302:
        assert stored(app) == before


def test_a_post_with_only_the_token_changes_nothing(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    before = stored(app)
    fields = form_fields(logged_in_admin.client.get(URL))
    response = logged_in_admin.client.post(URL, data={"csrf_token": fields["csrf_token"]})
    assert response.status_code in (200, 409)
    assert stored(app) == before


def test_more_rows_keeps_what_was_typed(logged_in_admin: StaffLogin) -> None:
    fields = form_fields(logged_in_admin.client.get(URL))
    rows = len([k for k in fields if k.endswith("-first")])
    fields["channel_chat-wed"] = "08:00-09:00"
    page = logged_in_admin.client.post(URL, data={**fields, "action": "more"})
    after = form_fields(page)
    assert len([k for k in after if k.endswith("-first")]) == rows + 3
    assert after["channel_chat-wed"] == "08:00-09:00"


def test_a_bad_time_in_words_gets_its_error_once(app: Flask, logged_in_admin: StaffLogin) -> None:
    """ "9 tot 17 uur" is four bad intervals to the validator; staff see one sentence, about
    what they typed."""
    response = submit(logged_in_admin.client, URL, {"channel_phone-mon": "9 tot 17 uur"})
    assert response.status_code == 200
    problem = translated(app, "Write hours like 09:00-17:00. Separate more than one with commas.")
    error = error_of(page_text(response), "channel_phone-mon")
    assert error == translated(app, "%(hours)s: %(problem)s", hours="9 tot 17 uur", problem=problem)


def test_different_problems_in_one_field_are_each_named_once(logged_in_admin: StaffLogin) -> None:
    response = submit(logged_in_admin.client, URL, {"channel_chat-mon": "morning, 25:00-26:00"})
    error = error_of(page_text(response), "channel_chat-mon")
    assert error.startswith("morning: ")
    assert " 25:00-26:00: " in error
    assert error.count(": ") == 2


def test_the_english_note_is_saved_and_shown_on_english_pages(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    day = today() + dt.timedelta(days=3)
    row = closure(day, note="Teamdag", note_en="Team day")
    assert post_with_row(logged_in_admin, row).status_code == 302
    exception = {"date": day.isoformat(), "closed": True, "note": "Teamdag", "note_en": "Team day"}
    assert exception in stored(app)["channels"]["phone"]["exceptions"]  # type: ignore[index]
    fields = form_fields(logged_in_admin.client.get(URL))
    assert "Team day" in fields.values()  # the editor shows it again
    english = page_text(logged_in_admin.client.get("/en/contact"))
    assert "(Team day)" in english
    assert "Teamdag" not in english
    assert "(Teamdag)" in page_text(logged_in_admin.client.get("/nl/contact"))


def test_the_preview_names_the_moment_in_the_schedules_zone(
    app: Flask, logged_in_admin: StaffLogin, clock: Clock
) -> None:
    """Issue 11: at 10:39 UTC the preview said "dinsdag 1 december 10:39"; in Amsterdam it
    was 11:39."""
    clock.set(dt.datetime(2026, 12, 1, 10, 39, tzinfo=dt.UTC))
    fields = {**form_fields(logged_in_admin.client.get(URL)), "preview_at": ""}
    page = page_text(logged_in_admin.client.post(URL, data={**fields, "action": "preview"}))
    section = page.split('id="preview"', 1)[1].split("</section>", 1)[0]
    assert "10:39" not in section
    expected = translated(
        app,
        "What visitors would see on %(moment)s (%(zone)s):",
        moment="dinsdag 1 december 2026 11:39",
        zone="Europe/Amsterdam",
    )
    assert expected in section
