"""The 12 cases of docs/opening-hours.md (2026, Europe/Amsterdam), and the engine's own checks.

Expected instants are written in UTC so that a wrong offset cannot hide behind a local-time
comparison (Python compares datetimes sharing a tzinfo by wall time, ignoring fold).
"""

import datetime as dt
import time
from collections.abc import Callable

import pytest

from app.hours.day_rules import intervals_on, note_on
from app.hours.engine import channel_status, describe, openings, schedule_status, status_json
from app.hours.model import Channel, ChannelStatus, DateException, Interval, Phrase, Schedule
from tests.hours.times import (
    AMS,
    CHRISTMAS,
    FRI,
    MON,
    SAT,
    SUN,
    every_day,
    hours,
    in_utc,
    local,
    runs_between,
    status,
    utc,
)

# 1 -----------------------------------------------------------------------------------------


def test_case_01_split_day_closed_at_lunch() -> None:
    channel = Channel({MON: hours("09:00-12:00", "13:00-17:00")})
    result = status(channel, local(2026, 1, 5, 12, 30))
    assert result == ChannelStatus(
        open=False, closes_at=None, opens_at=utc(2026, 1, 5, 12), note=None
    )
    assert status(channel, local(2026, 1, 5, 11, 59)).closes_at == utc(2026, 1, 5, 11)


# 2 -----------------------------------------------------------------------------------------


def test_case_02_back_to_back_intervals_merge() -> None:
    channel = Channel({MON: hours("17:00-19:00", "19:00-22:00")})
    at_six = status(channel, local(2026, 1, 5, 18))
    assert at_six.open
    assert at_six.closes_at == utc(2026, 1, 5, 21)
    at_seven = status(channel, local(2026, 1, 5, 19))
    assert at_seven.open
    assert at_seven.closes_at == utc(2026, 1, 5, 21)
    day = runs_between(channel, local(2026, 1, 5), local(2026, 1, 6))
    assert day == [(utc(2026, 1, 5, 16), utc(2026, 1, 5, 21))]


# 3 -----------------------------------------------------------------------------------------


def test_case_03_overnight_friday() -> None:
    channel = Channel({FRI: hours("22:00-02:00")})
    saturday_one = status(channel, local(2026, 1, 10, 1))
    assert saturday_one.open
    assert saturday_one.closes_at == utc(2026, 1, 10, 1)
    saturday_two = status(channel, local(2026, 1, 10, 2))
    assert not saturday_two.open
    assert saturday_two.opens_at == utc(2026, 1, 16, 21)  # next Friday 22:00


def test_case_03b_closure_next_day_does_not_cut_the_night_shift() -> None:
    closed_saturday = DateException(dt.date(2026, 1, 10), dt.date(2026, 1, 10), None, "Dicht")
    channel = Channel({FRI: hours("22:00-02:00")}, exceptions=(closed_saturday,))
    result = status(channel, local(2026, 1, 10, 1))
    assert result == ChannelStatus(True, utc(2026, 1, 10, 1), None, "Dicht")


# 4 -----------------------------------------------------------------------------------------


def test_case_04_spring_forward_interval_lasts_one_real_hour() -> None:
    channel = Channel({SUN: hours("01:00-03:00")})
    runs = runs_between(channel, local(2026, 3, 29), local(2026, 3, 30))
    assert runs == [(utc(2026, 3, 29, 0), utc(2026, 3, 29, 1))]
    local_end = openings(channel, AMS, local(2026, 3, 29), local(2026, 3, 30))[0][1]
    assert local_end.isoformat() == "2026-03-29T03:00:00+02:00"
    inside = status(channel, utc(2026, 3, 29, 0, 30))
    assert inside.open
    assert inside.closes_at == utc(2026, 3, 29, 1)
    assert status(channel, utc(2026, 3, 28, 23, 30)).opens_at == utc(2026, 3, 29, 0)


# 5 -----------------------------------------------------------------------------------------


def test_case_05_opening_inside_the_gap_opens_when_the_clock_jumps() -> None:
    channel = Channel({SUN: hours("02:30-05:00")})
    before = status(channel, local(2026, 3, 29, 0))
    assert not before.open
    assert before.opens_at == utc(2026, 3, 29, 1)
    raw = channel_status(channel, AMS, local(2026, 3, 29, 0)).opens_at
    assert raw is not None
    assert raw.isoformat() == "2026-03-29T03:00:00+02:00"
    assert not status(channel, utc(2026, 3, 29, 0, 59)).open
    after = status(channel, utc(2026, 3, 29, 1))
    assert after.open
    assert after.closes_at == utc(2026, 3, 29, 3)


# 6 -----------------------------------------------------------------------------------------


def test_case_06_fall_back_night_lasts_six_real_hours() -> None:
    channel = Channel({SAT: hours("22:00-03:00")})
    runs = runs_between(channel, local(2026, 10, 24, 12), local(2026, 10, 25, 12))
    assert runs == [(utc(2026, 10, 24, 20), utc(2026, 10, 25, 2))]
    second_two_thirty = status(channel, utc(2026, 10, 25, 1, 30))  # 02:30 CET, second time
    assert second_two_thirty.open
    assert second_two_thirty.closes_at == utc(2026, 10, 25, 2)
    raw = channel_status(channel, AMS, utc(2026, 10, 25, 1, 30)).closes_at
    assert raw is not None
    assert raw.isoformat() == "2026-10-25T03:00:00+01:00"
    assert status(channel, utc(2026, 10, 25, 0, 30)).open  # 02:30 CEST, first time
    assert not status(channel, utc(2026, 10, 25, 2)).open


def test_case_06b_ambiguous_wall_time_means_first_occurrence() -> None:
    channel = Channel({SUN: hours("02:30-04:00")})
    result = status(channel, utc(2026, 10, 24, 22))
    assert result.opens_at == utc(2026, 10, 25, 0, 30)  # 02:30 CEST, not 02:30 CET
    raw = channel_status(channel, AMS, utc(2026, 10, 24, 22)).opens_at
    assert raw is not None
    assert raw.isoformat() == "2026-10-25T02:30:00+02:00"


# 7 -----------------------------------------------------------------------------------------


def test_case_07_exception_beats_weekly() -> None:
    channel = Channel(every_day("09:00-21:00"), exceptions=CHRISTMAS, holidays="normal")
    assert status(channel, local(2026, 12, 24, 16)).closes_at == utc(2026, 12, 24, 16)
    evening = status(channel, local(2026, 12, 24, 18))
    assert evening == ChannelStatus(False, None, utc(2026, 12, 27, 8), "Kerstavond")
    assert status(channel, local(2026, 12, 26, 12)).note == "Kerst"
    assert status(channel, local(2026, 12, 23, 18)).open  # the weekly hours still apply


def test_case_07b_exception_beats_holiday_policy() -> None:
    open_christmas = DateException(
        dt.date(2026, 12, 25), dt.date(2026, 12, 25), hours("10:00-14:00"), "Kerstochtend"
    )
    channel = Channel(every_day("09:00-21:00"), (open_christmas,), holidays="closed")
    assert status(channel, local(2026, 12, 25, 12)) == ChannelStatus(
        True, utc(2026, 12, 25, 13), None, "Kerstochtend"
    )
    assert status(channel, local(2026, 12, 26, 12)).note == "Tweede kerstdag"


# 8 -----------------------------------------------------------------------------------------


def test_case_08_koningsdag_2025_closed_and_next_day_normal() -> None:
    channel = Channel(every_day("10:00-16:00"), holidays="closed")
    koningsdag = status(channel, local(2025, 4, 26, 12))
    assert koningsdag == ChannelStatus(False, None, utc(2025, 4, 27, 8), "Koningsdag")
    sunday = status(channel, local(2025, 4, 27, 12))
    assert sunday == ChannelStatus(True, utc(2025, 4, 27, 14), None, None)
    normal_policy = Channel(every_day("10:00-16:00"), holidays="normal")
    assert status(normal_policy, local(2025, 4, 26, 12)).open


# 9 -----------------------------------------------------------------------------------------


def test_case_09_liberation_day_only_when_the_package_says_so() -> None:
    channel = Channel(every_day("09:00-17:00"), holidays="closed")
    assert intervals_on(channel, dt.date(2026, 5, 5)) == hours("09:00-17:00")
    assert status(channel, local(2026, 5, 5, 12)).open
    assert intervals_on(channel, dt.date(2025, 5, 5)) == ()
    assert note_on(channel, dt.date(2025, 5, 5)) == "Bevrijdingsdag"
    assert not status(channel, local(2025, 5, 5, 12)).open


# 10 ----------------------------------------------------------------------------------------


def test_case_10_two_channels_at_one_instant() -> None:
    weekdays = range(MON, SAT)
    schedule = Schedule(
        AMS,
        {
            "phone": Channel(dict.fromkeys(weekdays, hours("09:00-17:00"))),
            "chat": Channel(dict.fromkeys(weekdays, hours("19:00-22:00"))),
        },
    )
    result = schedule_status(schedule, local(2026, 1, 5, 12))
    assert list(result) == ["phone", "chat"]
    assert result["phone"] == ChannelStatus(True, utc(2026, 1, 5, 16), None, None)
    assert result["chat"] == ChannelStatus(False, None, utc(2026, 1, 5, 18), None)


# 11 ----------------------------------------------------------------------------------------


def test_case_11_nothing_within_60_days_is_unknown_and_fast() -> None:
    at = local(2026, 1, 5, 12)
    channel = Channel({}, holidays="closed")
    result = status(channel, at)
    assert result == ChannelStatus(False, None, None, None)
    assert describe(result, at, AMS) == Phrase("no_hours_known")
    started = time.perf_counter()
    for _ in range(50):
        status(channel, at)
    assert (time.perf_counter() - started) / 50 < 0.005


def test_case_11b_search_horizon_is_60_days() -> None:
    at = local(2026, 1, 5, 12)

    def opening_on(day: dt.date) -> Channel:
        return Channel({}, (DateException(day, day, hours("12:00-13:00"), ""),))

    assert status(opening_on(dt.date(2026, 3, 6)), at).opens_at == utc(2026, 3, 6, 11)  # +60 d
    assert status(opening_on(dt.date(2026, 3, 7)), at).opens_at is None  # +61 days


def test_case_11c_always_open_has_no_closing_within_horizon() -> None:
    channel = Channel(every_day("00:00-24:00"))
    result = status(channel, local(2026, 1, 5, 12))
    assert result == ChannelStatus(True, None, None, None)
    assert describe(result, local(2026, 1, 5, 12), AMS) == Phrase("open_until")


# 12 ----------------------------------------------------------------------------------------


def test_case_12_process_time_zone_does_not_matter(
    process_tz: Callable[[str], None],
) -> None:
    schedule = Schedule(
        AMS,
        {
            "phone": Channel(every_day("22:00-03:00"), CHRISTMAS, holidays="closed"),
            "chat": Channel({SUN: hours("02:30-05:00"), SAT: hours("09:00-12:00")}),
        },
    )
    instants = [utc(2026, 3, 29, 0, 30), utc(2026, 10, 25, 1, 30), utc(2026, 12, 24, 23)]

    def results() -> list[object]:
        found: list[object] = [status_json(schedule, at) for at in instants]
        for channel in schedule.channels.values():
            runs = openings(channel, AMS, instants[0], instants[0] + dt.timedelta(days=7))
            found.append([(start.isoformat(), end.isoformat()) for start, end in runs])
        return found

    process_tz("UTC")
    assert dt.datetime.fromtimestamp(0).hour == 0  # proves TZ took effect
    in_utc = results()
    process_tz("America/New_York")
    assert dt.datetime.fromtimestamp(0).hour == 19
    assert results() == in_utc


# validation -------------------------------------------------------------------------------


def test_naive_instant_is_rejected() -> None:
    with pytest.raises(ValueError, match="aware"):
        status(Channel({}), dt.datetime(2026, 1, 5, 12))


def test_unknown_or_server_dependent_zone_is_rejected() -> None:
    with pytest.raises(ValueError, match="time zone"):
        channel_status(Channel({}), "Mars/Olympus", local(2026, 1, 5))
    with pytest.raises(ValueError, match="time zone"):
        Schedule("localtime", {})


def test_interval_invariants() -> None:
    with pytest.raises(ValueError, match="1 to 1440"):
        Interval(600, 600)
    with pytest.raises(ValueError, match="1 to 1440"):
        Interval(600, 600 + 1441)
    with pytest.raises(ValueError, match="within the day"):
        Interval(1440, 1500)


def test_channel_rejects_overlapping_exceptions() -> None:
    first = DateException(dt.date(2026, 12, 24), dt.date(2026, 12, 26), None)
    second = DateException(dt.date(2026, 12, 26), dt.date(2026, 12, 26), None)
    with pytest.raises(ValueError, match="overlap"):
        Channel({}, (first, second))


def test_openings_window_limits() -> None:
    channel = Channel(every_day("00:00-24:00"))
    at = local(2026, 1, 5, 12)
    assert openings(channel, AMS, at, at) == []
    assert openings(channel, AMS, at, at - dt.timedelta(hours=1)) == []
    with pytest.raises(ValueError, match="window"):
        openings(channel, AMS, at, at + dt.timedelta(days=367))
    year = runs_between(channel, at, at + dt.timedelta(days=366))
    assert year == [(in_utc(at), in_utc(at + dt.timedelta(days=366)))]
