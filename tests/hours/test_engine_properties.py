"""Property tests: the engine against a slow, independent oracle, and JSON round trips.

The oracle maps a wall time to "the first instant whose wall clock reads at least that time" by
scanning UTC minutes, which is the definition in hours.md (gap -> moment of the jump, fold ->
first occurrence) without any of the engine's shortcuts. Schedules use a 15-minute grid and the
zones below have offsets and transitions on that grid, so instants on the grid hit the edges of
intervals (half-open boundaries, DST jumps) often.
"""

import datetime as dt
import functools
import json
from collections.abc import Callable
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from app.hours.day_rules import intervals_on
from app.hours.engine import SEARCH_HORIZON, channel_status, openings
from app.hours.model import Channel, DateException, Interval, Schedule
from app.hours.schedule_json import dump_schedule, parse_schedule

UTC = dt.UTC
GRID = 15  # minutes
STEPS_PER_DAY = 24 * 60 // GRID
MINUTE = dt.timedelta(minutes=1)


def _utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


# DST transitions (UTC) of each zone, where most bugs live.
ANCHORS = {
    "Europe/Amsterdam": [_utc(2026, 3, 29, 1), _utc(2026, 10, 25, 1), _utc(2025, 4, 26, 10)],
    "America/New_York": [_utc(2026, 3, 8, 7), _utc(2026, 11, 1, 6)],
    "Australia/Lord_Howe": [_utc(2026, 4, 4, 15), _utc(2026, 10, 3, 15, 30)],  # 30-minute DST
    "Pacific/Chatham": [_utc(2026, 4, 4, 14), _utc(2026, 9, 26, 14)],  # +12:45 / +13:45
    "UTC": [_utc(2026, 1, 5), _utc(2026, 12, 24, 12)],
}
ZONES = sorted(ANCHORS)


# --- oracle ---------------------------------------------------------------------------------


def _wall(instant: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


@functools.cache
def oracle_instant(day: dt.date, minute: int, tz: str) -> dt.datetime:
    """First UTC minute whose wall time in ``tz`` is at or after ``minute`` past ``day``'s
    midnight. Coarse 30-minute steps first: until the wall clock is within 2 hours of the target,
    no instant in between can reach it (clocks jump by at most an hour in these zones)."""
    zone = ZoneInfo(tz)
    target = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)
    candidate = target.replace(tzinfo=UTC) - dt.timedelta(hours=15)  # offsets are within 14h
    while _wall(candidate, zone) < target - dt.timedelta(hours=2):
        candidate += dt.timedelta(minutes=30)
    while _wall(candidate, zone) < target:
        candidate += MINUTE
    return candidate


def oracle_open(channel: Channel, tz: str, instant: dt.datetime) -> bool:
    today = instant.astimezone(ZoneInfo(tz)).date()
    for back in (2, 1, 0):  # intervals last at most a day
        day = today - dt.timedelta(days=back)
        for interval in intervals_on(channel, day):
            start = oracle_instant(day, interval.start, tz)
            end = oracle_instant(day, interval.end, tz)
            if start <= instant < end:
                return True
    return False


# --- strategies -----------------------------------------------------------------------------

# Start times biased towards 00:00 and the hours where the clocks change in these zones.
starts = st.one_of(
    st.integers(0, STEPS_PER_DAY - 1), st.integers(6, 16), st.just(0), st.just(STEPS_PER_DAY - 4)
)


@st.composite
def day_intervals(draw: st.DrawFn) -> tuple[Interval, ...]:
    """Up to 3 intervals of one day, often touching (also at midnight) or overlapping."""
    result = []
    start = draw(starts)
    for _ in range(draw(st.integers(0, 3))):
        length = draw(
            st.integers(1, 8) | st.integers(1, STEPS_PER_DAY) | st.just(STEPS_PER_DAY - start)
        )
        result.append(Interval(start * GRID, (start + length) * GRID))
        start += length + draw(st.sampled_from([0, 0, 1, 4, -1]))
        if draw(st.booleans()) or not 0 <= start < STEPS_PER_DAY:
            start = draw(starts)
    return tuple(result)


weeks = st.one_of(
    st.just({}),
    st.dictionaries(st.integers(0, 6), day_intervals(), max_size=7),
    day_intervals().map(lambda intervals: dict.fromkeys(range(7), intervals)),
)


@st.composite
def exceptions_near(draw: st.DrawFn, day: dt.date) -> tuple[DateException, ...]:
    """Non-overlapping exceptions in the weeks around ``day``, sometimes one near the end of
    the 60-day search horizon."""
    result = []
    first = day - dt.timedelta(days=draw(st.integers(0, 4)))
    for _ in range(draw(st.integers(0, 3))):
        first += dt.timedelta(days=draw(st.integers(0, 6)))
        last = first + dt.timedelta(days=draw(st.integers(0, 3)))
        hours = draw(st.none() | day_intervals())
        result.append(DateException(first, last, hours, draw(st.sampled_from(["", "Dicht"]))))
        first = last + dt.timedelta(days=1)
    if draw(st.booleans()):
        far = max(first, day + dt.timedelta(days=draw(st.integers(55, 62))))
        result.append(DateException(far, far, draw(day_intervals()), "Ver weg"))
    return tuple(result)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[str, Channel, dt.datetime]:
    """A zone, a channel (intervals may overlap: the engine merges them) and an instant."""
    tz = draw(st.sampled_from(ZONES))
    anchor = draw(st.sampled_from(ANCHORS[tz]))
    steps = draw(st.integers(-STEPS_PER_DAY, STEPS_PER_DAY) | st.integers(-400, 400))
    at = anchor + dt.timedelta(minutes=GRID * steps)
    exceptions = draw(exceptions_near(at.astimezone(ZoneInfo(tz)).date()))
    policy = draw(st.sampled_from(["closed", "normal"]))
    return tz, Channel(draw(weeks), exceptions, policy), at


def _points(data: st.DataObject, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """A few grid instants in [start, end), always including the first and the last."""
    steps = max(1, -(-(end - start) // dt.timedelta(minutes=GRID)))
    chosen = {0, steps - 1} | set(data.draw(st.lists(st.integers(0, steps - 1), max_size=3)))
    return [start + dt.timedelta(minutes=GRID * i) for i in sorted(chosen)]


def _in_utc(runs: list[tuple[dt.datetime, dt.datetime]]) -> list[tuple[dt.datetime, dt.datetime]]:
    return [(start.astimezone(UTC), end.astimezone(UTC)) for start, end in runs]


# --- engine properties -----------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(scenarios(), st.data())
def test_status_agrees_with_the_oracle(
    scenario: tuple[str, Channel, dt.datetime], data: st.DataObject
) -> None:
    tz, channel, at = scenario
    status = channel_status(channel, tz, at)
    assert status.open == oracle_open(channel, tz, at)
    for instant in (status.closes_at, status.opens_at):
        assert instant is None or instant.tzinfo == ZoneInfo(tz)
    horizon = at + SEARCH_HORIZON
    if status.open:
        assert status.opens_at is None
        if status.closes_at is None:  # open beyond the horizon
            assert _in_utc(openings(channel, tz, at, horizon)) == [(at, horizon)]
            return
        closes = status.closes_at.astimezone(UTC)
        assert at < closes <= horizon
        assert not oracle_open(channel, tz, closes)
        assert _in_utc(openings(channel, tz, at, closes)) == [(at, closes)]
        assert all(oracle_open(channel, tz, p) for p in _points(data, at, closes))
    else:
        assert status.closes_at is None
        until = horizon if status.opens_at is None else status.opens_at.astimezone(UTC)
        assert at < until <= horizon
        assert openings(channel, tz, at, until) == []
        assert not any(oracle_open(channel, tz, p) for p in _points(data, at, until))
        if status.opens_at is not None:
            assert oracle_open(channel, tz, until)
            assert not oracle_open(channel, tz, until - MINUTE)


@settings(max_examples=200, deadline=None)
@given(scenarios(), st.integers(1, 4 * STEPS_PER_DAY), st.data())
def test_openings_are_maximal_runs(
    scenario: tuple[str, Channel, dt.datetime], length: int, data: st.DataObject
) -> None:
    tz, channel, start = scenario
    end = start + dt.timedelta(minutes=GRID * length)
    runs = _in_utc(openings(channel, tz, start, end))
    for run_start, run_end in runs:
        assert start <= run_start < run_end <= end
        assert oracle_open(channel, tz, run_start)
        assert oracle_open(channel, tz, run_end - MINUTE)
        if run_start > start:
            assert not oracle_open(channel, tz, run_start - MINUTE)
        if run_end < end:
            assert not oracle_open(channel, tz, run_end)
    for (_, previous_end), (next_start, _) in zip(runs, runs[1:], strict=False):
        assert previous_end < next_start  # merged: runs never touch
    for point in _points(data, start, end):
        assert oracle_open(channel, tz, point) == any(s <= point < e for s, e in runs)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.integers(-STEPS_PER_DAY, STEPS_PER_DAY),
    st.integers(58, 62),
    day_intervals().filter(bool),
)
def test_next_opening_is_found_up_to_exactly_60_days_ahead(
    tz: str, steps: int, days_ahead: int, hours: tuple[Interval, ...]
) -> None:
    at = ANCHORS[tz][0] + dt.timedelta(minutes=GRID * steps)
    day = at.astimezone(ZoneInfo(tz)).date() + dt.timedelta(days=days_ahead)
    channel = Channel({}, (DateException(day, day, hours, ""),))
    first_start = oracle_instant(day, min(interval.start for interval in hours), tz)
    status = channel_status(channel, tz, at)
    if first_start <= at + SEARCH_HORIZON:
        assert status.opens_at is not None
        assert status.opens_at.astimezone(UTC) == first_start
    else:
        assert status.opens_at is None


@settings(max_examples=40, deadline=None)
@given(scenarios())
def test_process_time_zone_does_not_change_results(
    process_tz: Callable[[str], None], scenario: tuple[str, Channel, dt.datetime]
) -> None:
    tz, channel, at = scenario

    def results() -> list[str | None]:
        status = channel_status(channel, tz, at)
        found = [str(status.open), status.note]
        found += [None if i is None else i.isoformat() for i in (status.closes_at, status.opens_at)]
        for start, end in openings(
            channel, tz, at - dt.timedelta(days=1), at + dt.timedelta(days=3)
        ):
            found += [start.isoformat(), end.isoformat()]
        return found

    process_tz("UTC")
    in_utc = results()
    process_tz("America/New_York")
    assert dt.datetime.fromtimestamp(0).hour == 19  # the switch really happened
    assert results() == in_utc


# --- JSON round trip -------------------------------------------------------------------------


@st.composite
def cyclic_intervals(draw: st.DrawFn, days: int) -> list[tuple[int, int]]:
    """Non-overlapping intervals (absolute minutes) on a cycle of ``days`` days; the last may
    wrap around but ends no later than the first starts, as validation requires."""
    cycle = days * 24 * 60
    start = first = GRID * draw(st.integers(0, STEPS_PER_DAY - 1))
    result = []
    for _ in range(draw(st.integers(0, 5))):
        end = min(start + GRID * draw(st.integers(1, STEPS_PER_DAY)), first + cycle)
        if start >= cycle or end <= start:
            break
        result.append((start, end))
        start = end + GRID * draw(st.integers(0, 2 * STEPS_PER_DAY))
    return result


def _day_interval(start: int, end: int) -> tuple[int, Interval]:
    day = start // (24 * 60)
    return day, Interval(start - day * 24 * 60, end - day * 24 * 60)


@st.composite
def valid_channels(draw: st.DrawFn) -> Channel:
    weekly: dict[int, list[Interval]] = {}
    for start, end in draw(cyclic_intervals(7)):
        day, interval = _day_interval(start, end)
        weekly.setdefault(day, []).append(interval)
    exceptions = []
    first = dt.date(2026, 1, 1) + dt.timedelta(days=draw(st.integers(0, 400)))
    for _ in range(draw(st.integers(0, 4))):
        last = first + dt.timedelta(days=draw(st.integers(0, 10)))
        spans = draw(st.none() | cyclic_intervals(1).filter(bool))
        hours = None if spans is None else tuple(_day_interval(*span)[1] for span in spans)
        note = draw(st.text(max_size=200))
        exceptions.append(DateException(first, last, hours, note))
        first = last + dt.timedelta(days=draw(st.integers(1, 30)))
    policy = draw(st.sampled_from(["closed", "normal"]))
    return Channel({day: tuple(ivs) for day, ivs in weekly.items()}, tuple(exceptions), policy)


channel_names = st.from_regex(r"[a-z][a-z0-9_]{0,31}", fullmatch=True)
valid_schedules = st.builds(
    Schedule,
    st.sampled_from(ZONES),
    st.dictionaries(channel_names, valid_channels(), min_size=1, max_size=3),
)


@settings(max_examples=150, deadline=None)
@given(valid_schedules)
def test_dump_then_parse_round_trips(schedule: Schedule) -> None:
    document = json.loads(json.dumps(dump_schedule(schedule)))
    parsed = parse_schedule(document)
    assert parsed == schedule
    assert hash(parsed) == hash(schedule)
    assert list(parsed.channels) == list(schedule.channels)
    assert dump_schedule(parsed) == document
