"""Notes and holiday names in the page's language (issue 11: no Dutch on English pages)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from app.hours.day_rules import dutch_holiday, note_on
from app.hours.engine import channel_status, describe
from app.hours.model import Channel, DateException, Interval, Phrase

AMS = "Europe/Amsterdam"
NINE_TO_FIVE = {day: (Interval(9 * 60, 17 * 60),) for day in range(7)}
CHRISTMAS_EVE = DateException(
    dt.date(2026, 12, 24), dt.date(2026, 12, 24), None, "Kerstavond", "Christmas Eve"
)
DUTCH_ONLY = DateException(dt.date(2026, 12, 31), dt.date(2026, 12, 31), None, "Oudejaarsdag")
CHANNEL = Channel(NINE_TO_FIVE, (CHRISTMAS_EVE, DUTCH_ONLY), holidays="closed")


def local(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=ZoneInfo(AMS))


def test_holiday_names_come_in_both_languages() -> None:
    assert dutch_holiday(dt.date(2026, 12, 25)) == "Eerste kerstdag"
    assert dutch_holiday(dt.date(2026, 12, 25), "en") == "Christmas Day"
    assert dutch_holiday(dt.date(2027, 1, 1), "en") == "New Year's Day"
    # Liberation Day counts only when the package says so, in either language.
    assert dutch_holiday(dt.date(2026, 5, 5), "en") is None
    assert dutch_holiday(dt.date(2025, 5, 5), "en") == "Liberation Day"


def test_each_language_gets_its_own_note_and_never_the_other() -> None:
    assert note_on(CHANNEL, dt.date(2026, 12, 24)) == "Kerstavond"
    assert note_on(CHANNEL, dt.date(2026, 12, 24), "en") == "Christmas Eve"
    assert note_on(CHANNEL, dt.date(2026, 12, 25), "en") == "Christmas Day"
    assert note_on(CHANNEL, dt.date(2026, 12, 31)) == "Oudejaarsdag"
    assert note_on(CHANNEL, dt.date(2026, 12, 31), "en") is None  # no English note written


def test_status_carries_both_notes() -> None:
    status = channel_status(CHANNEL, AMS, local(2026, 12, 25, 12))
    assert (status.note, status.note_en) == ("Eerste kerstdag", "Christmas Day")


def test_closed_today_in_english_without_an_english_note_has_no_note() -> None:
    at = local(2026, 12, 31, 12)
    status = channel_status(CHANNEL, AMS, at)
    opening = (dt.time(9), "weekday", dt.date(2027, 1, 2))  # 1 January is a holiday
    assert describe(status, at, AMS) == Phrase("closed_today", *opening, note="Oudejaarsdag")
    assert describe(status, at, AMS, "en") == Phrase("closed_today", *opening, note=None)
