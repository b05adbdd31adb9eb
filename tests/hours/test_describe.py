"""describe(): the status sentence people read, as a structured phrase; and status_json()."""

import datetime as dt

import pytest

from app.hours.engine import describe, status_json
from app.hours.model import Channel, DateException, Phrase, Schedule
from tests.hours.times import AMS, CHRISTMAS, FRI, MON, every_day, hours, local, status, utc

# describe() --------------------------------------------------------------------------------

MONDAYS = Channel({MON: hours("09:00-17:00")})


def phrase_at(channel: Channel, at: dt.datetime) -> Phrase:
    return describe(status(channel, at), at, AMS)


def test_describe_open_until() -> None:
    assert phrase_at(MONDAYS, local(2026, 1, 5, 12)) == Phrase(
        "open_until", dt.time(17), "today", dt.date(2026, 1, 5)
    )


def test_describe_open_until_past_midnight() -> None:
    channel = Channel({FRI: hours("22:00-02:00")})
    assert phrase_at(channel, local(2026, 1, 9, 23)) == Phrase(
        "open_until", dt.time(2), "tomorrow", dt.date(2026, 1, 10)
    )


def test_describe_opens_later_today() -> None:
    assert phrase_at(MONDAYS, local(2026, 1, 5, 8)) == Phrase(
        "closed_opens", dt.time(9), "today", dt.date(2026, 1, 5)
    )


def test_describe_opens_tomorrow() -> None:
    assert phrase_at(MONDAYS, local(2026, 1, 4, 12)) == Phrase(
        "closed_opens", dt.time(9), "tomorrow", dt.date(2026, 1, 5)
    )


@pytest.mark.parametrize(
    ("at", "opening"),
    [
        (local(2026, 1, 3, 12), dt.date(2026, 1, 5)),  # Saturday: 2 days ahead
        (local(2026, 1, 6, 12), dt.date(2026, 1, 12)),  # Tuesday: 6 days ahead
    ],
)
def test_describe_opens_on_weekday_within_six_days(at: dt.datetime, opening: dt.date) -> None:
    assert phrase_at(MONDAYS, at) == Phrase("closed_opens", dt.time(9), "weekday", opening)


def test_describe_opens_with_full_date_after_six_days() -> None:
    assert phrase_at(MONDAYS, local(2026, 1, 5, 18)) == Phrase(
        "closed_opens", dt.time(9), "date", dt.date(2026, 1, 12)
    )


def test_describe_day_counts_local_dates_not_24_hour_blocks() -> None:
    # 23:30 Sunday -> 09:00 Monday is under 24 hours but still "tomorrow".
    assert phrase_at(MONDAYS, local(2026, 1, 4, 23, 30)).day == "tomorrow"


def test_describe_closed_today_with_holiday_note() -> None:
    channel = Channel(every_day("10:00-16:00"), holidays="closed")
    assert phrase_at(channel, local(2025, 4, 26, 9)) == Phrase(
        "closed_today", dt.time(10), "tomorrow", dt.date(2025, 4, 27), "Koningsdag"
    )


def test_describe_closed_today_after_shortened_hours() -> None:
    channel = Channel(every_day("09:00-21:00"), exceptions=CHRISTMAS)
    assert phrase_at(channel, local(2026, 12, 24, 18)) == Phrase(
        "closed_today", dt.time(9), "weekday", dt.date(2026, 12, 27), "Kerstavond"
    )


def test_describe_note_but_opening_later_today_is_not_closed_today() -> None:
    channel = Channel(every_day("09:00-21:00"), exceptions=CHRISTMAS)
    assert phrase_at(channel, local(2026, 12, 24, 8)) == Phrase(
        "closed_opens", dt.time(9), "today", dt.date(2026, 12, 24), "Kerstavond"
    )


def test_describe_closed_today_without_any_opening_keeps_the_note() -> None:
    closed = DateException(dt.date(2026, 1, 1), dt.date(2026, 12, 31), None, "Verbouwing")
    channel = Channel(every_day("09:00-17:00"), (closed,))
    assert phrase_at(channel, local(2026, 6, 1, 12)) == Phrase("closed_today", note="Verbouwing")


# status_json() ------------------------------------------------------------------------------


def test_status_json_shape() -> None:
    schedule = Schedule(
        AMS,
        {
            "phone": Channel(every_day("09:00-17:00"), holidays="closed"),
            "chat": Channel(every_day("19:00-22:00"), holidays="closed"),
        },
    )
    assert status_json(schedule, utc(2026, 7, 1, 10, 15)) == {
        "timezone": AMS,
        "at": "2026-07-01T12:15:00+02:00",
        "channels": {
            "phone": {
                "open": True,
                "closes_at": "2026-07-01T17:00:00+02:00",
                "opens_at": None,
                "note": None,
                "note_en": None,
            },
            "chat": {
                "open": False,
                "closes_at": None,
                "opens_at": "2026-07-01T19:00:00+02:00",
                "note": None,
                "note_en": None,
            },
        },
    }
    assert status_json(schedule, local(2025, 12, 25, 12))["channels"] == {
        "phone": {
            "open": False,
            "closes_at": None,
            "opens_at": "2025-12-27T09:00:00+01:00",
            "note": "Eerste kerstdag",
            "note_en": "Christmas Day",
        },
        "chat": {
            "open": False,
            "closes_at": None,
            "opens_at": "2025-12-27T19:00:00+01:00",
            "note": "Eerste kerstdag",
            "note_en": "Christmas Day",
        },
    }


def test_status_json_gives_the_note_in_both_languages() -> None:
    note = DateException(
        dt.date(2026, 12, 24), dt.date(2026, 12, 24), None, "Kerstavond", "Christmas Eve"
    )
    schedule = Schedule(AMS, {"phone": Channel(every_day("09:00-17:00"), (note,))})
    phone = status_json(schedule, utc(2026, 12, 24, 10))["channels"]["phone"]  # type: ignore[index]
    assert (phone["note"], phone["note_en"]) == ("Kerstavond", "Christmas Eve")
