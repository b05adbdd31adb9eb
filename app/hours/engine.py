"""Opening-hours engine: is a channel open at an instant, until when, and when does it open next.

Pure code (stdlib), no Flask. The rules are in ``docs/opening-hours.md``; the data types in
``app/hours/model.py``; which hours a date has in ``app/hours/day_rules.py``.

* Hours are wall-clock times in the schedule's zone, but every computation happens on aware UTC
  instants; local datetimes are only produced for display. Python compares two datetimes with
  the same ``tzinfo`` by wall time (ignoring ``fold``) and adds timedeltas in wall time, so doing
  arithmetic on local datetimes gives wrong answers around DST changes.
* A wall time is mapped to the first instant whose wall time is at or after it: a time in the
  spring-forward gap maps to the moment the clock jumps, a fall-back time to its first occurrence.
* An interval belongs to the date it starts on, so a closure on day D does not cut the night shift
  that started on D-1.
* Intervals that touch or overlap merge into one "run" for status purposes.
* Notes come in both languages (``Language``): the Dutch one staff type, the English one staff
  type next to it, and holiday names from ``holidays`` in each language.
"""

import datetime as dt
import math
from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo

from app.hours.day_rules import day_rule, intervals_on
from app.hours.model import (
    MINUTES_PER_DAY,
    Channel,
    ChannelStatus,
    DayWord,
    Interval,
    Language,
    Phrase,
    PhraseKind,
    Schedule,
    zone_for,
)

#: How far ahead ``channel_status`` looks for the next opening (and for the end of a run).
SEARCH_HORIZON = dt.timedelta(days=60)
#: Longest window ``openings`` accepts; keeps every call bounded.
MAX_WINDOW = dt.timedelta(days=366)
#: Instants outside these years are rejected, so date arithmetic near the search never overflows.
MIN_YEAR, MAX_YEAR = 1900, 2999

_ONE_DAY = dt.timedelta(days=1)

_Run = tuple[dt.datetime, dt.datetime]


def _wall_to_utc(wall: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The first UTC instant whose wall time in ``zone`` is at or after naive ``wall``."""
    guess = wall.replace(tzinfo=zone, fold=0).astimezone(dt.UTC)
    if guess.astimezone(zone).replace(tzinfo=None) == wall:
        return guess  # exists; fold=0 already picked the first occurrence
    # ``wall`` is in a gap. fold=0 used the offset from before the jump (an instant after it),
    # fold=1 the offset from after the jump (an instant before it): bisect to the jump itself.
    before = math.floor(wall.replace(tzinfo=zone, fold=1).astimezone(dt.UTC).timestamp())
    after = math.ceil(guess.timestamp())
    while after - before > 1:
        middle = (before + after) // 2
        if dt.datetime.fromtimestamp(middle, zone).replace(tzinfo=None) >= wall:
            after = middle
        else:
            before = middle
    return dt.datetime.fromtimestamp(after, dt.UTC)


def _instant(day: dt.date, minute: int, zone: ZoneInfo) -> dt.datetime:
    extra_days, minute = divmod(minute, MINUTES_PER_DAY)
    wall = dt.datetime.combine(day + dt.timedelta(days=extra_days), dt.time(*divmod(minute, 60)))
    return _wall_to_utc(wall, zone)


def _run(day: dt.date, interval: Interval, zone: ZoneInfo) -> _Run:
    """``interval`` of ``day`` as UTC instants (empty when it falls in a DST gap)."""
    return _instant(day, interval.start, zone), _instant(day, interval.end, zone)


def _intervals_between(
    channel: Channel, zone: ZoneInfo, first: dt.date, last: dt.date
) -> Iterator[_Run]:
    """UTC intervals starting on ``first``..``last``, in order of start.

    Ordered because intervals of a day are sorted and all start before the next local midnight.
    Intervals that vanish in a DST gap (02:00-02:30 on a spring-forward day) are skipped.
    """
    day = first
    while day <= last:
        for interval in intervals_on(channel, day):
            start, end = _run(day, interval, zone)
            if start < end:
                yield start, end
        day += _ONE_DAY


def _merge(intervals: Iterable[_Run]) -> Iterator[_Run]:
    """Merge start-ordered intervals that touch or overlap."""
    current: _Run | None = None
    for start, end in intervals:
        if current is not None and start <= current[1]:
            current = (current[0], max(current[1], end))
            continue
        if current is not None:
            yield current
        current = (start, end)
    if current is not None:
        yield current


def _as_utc(instant: dt.datetime) -> dt.datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("an aware datetime (with time zone) is required")
    try:
        utc = instant.astimezone(dt.UTC)
    except OverflowError as error:
        raise ValueError(f"instant out of range: {instant!r}") from error
    if not MIN_YEAR <= utc.year <= MAX_YEAR:
        raise ValueError(f"instant out of range: {instant!r}")
    return utc


def _local(instant: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return instant.astimezone(zone)


def channel_status(channel: Channel, tz: str, at: dt.datetime) -> ChannelStatus:
    """Open/closed at ``at`` with the end of the current run or the start of the next one."""
    zone = zone_for(tz)
    now = _as_utc(at)
    today = now.astimezone(zone).date()
    horizon = now + SEARCH_HORIZON
    rule = day_rule(channel, today)
    notes = {"note": rule.note("nl"), "note_en": rule.note("en")}
    # Runs containing ``now`` can only involve intervals from yesterday on (intervals last at most
    # a day); one day past the horizon's date covers every interval that starts before it.
    last = horizon.astimezone(zone).date() + _ONE_DAY
    for start, end in _merge(_intervals_between(channel, zone, today - _ONE_DAY, last)):
        if end <= now:
            continue
        if start <= now:
            closes_at = _local(end, zone) if end <= horizon else None
            return ChannelStatus(open=True, closes_at=closes_at, opens_at=None, **notes)
        opens_at = _local(start, zone) if start <= horizon else None
        return ChannelStatus(open=False, closes_at=None, opens_at=opens_at, **notes)
    return ChannelStatus(open=False, closes_at=None, opens_at=None, **notes)


def schedule_status(schedule: Schedule, at: dt.datetime) -> dict[str, ChannelStatus]:
    """Status of every channel at one instant, in the schedule's channel order."""
    return {
        name: channel_status(channel, schedule.timezone, at)
        for name, channel in schedule.channels.items()
    }


def openings(
    channel: Channel, tz: str, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Merged open runs within ``[start, end)``, clipped to that window, in local time.

    Touching intervals (also across midnight) come back as one run. The window may be at most
    ``MAX_WINDOW`` long.
    """
    zone = zone_for(tz)
    low, high = _as_utc(start), _as_utc(end)
    if high - low > MAX_WINDOW:
        raise ValueError(f"window longer than {MAX_WINDOW.days} days")
    if high <= low:
        return []
    first = low.astimezone(zone).date() - _ONE_DAY
    last = high.astimezone(zone).date() + _ONE_DAY
    runs = []
    for run_start, run_end in _merge(_intervals_between(channel, zone, first, last)):
        if run_start >= high:
            break
        if run_end > low:
            runs.append((_local(max(run_start, low), zone), _local(min(run_end, high), zone)))
    return runs


def _when(instant: dt.datetime, today: dt.date, zone: ZoneInfo) -> tuple[dt.time, DayWord, dt.date]:
    """Local time, how people name the day ("weekday" up to 6 days ahead), and local date."""
    local = instant.astimezone(zone)
    days_ahead = (local.date() - today).days
    word: DayWord
    if days_ahead <= 0:
        word = "today"
    elif days_ahead == 1:
        word = "tomorrow"
    elif days_ahead <= 6:  # noqa: PLR2004 - "maandag om 09:00" is only clear within a week
        word = "weekday"
    else:
        word = "date"
    return local.time(), word, local.date()


def describe(status: ChannelStatus, at: dt.datetime, tz: str, language: Language = "nl") -> Phrase:
    """The sentence to show for ``status`` (computed at ``at``), without the words.

    * ``open_until``: "Nu open · tot 22:00" (``time`` is ``None`` if no end within 60 days).
    * ``closed_today``: "Vandaag gesloten (Koningsdag)": closed, today has a note (exception or
      holiday) and nothing opens again today; still carries the next opening if there is one.
      The note is in ``language``; it is ``None`` when staff wrote none in that language, and the
      page then says only "Vandaag gesloten" / "Closed today".
    * ``closed_opens``: "Gesloten · weer open vandaag/morgen/maandag/op maandag 4 januari om ...".
    * ``no_hours_known``: closed and nothing opens within 60 days (and no note for today).
    """
    zone = zone_for(tz)
    today = _as_utc(at).astimezone(zone).date()
    note = status.note_in(language)
    has_note = bool(status.note or status.note_en)
    if status.open:
        if status.closes_at is None:
            return Phrase("open_until", note=note)
        return Phrase("open_until", *_when(status.closes_at, today, zone), note=note)
    if status.opens_at is None:
        kind: PhraseKind = "closed_today" if has_note else "no_hours_known"
        return Phrase(kind, note=note)
    time, day, date = _when(status.opens_at, today, zone)
    kind = "closed_today" if has_note and date != today else "closed_opens"
    return Phrase(kind, time, day, date, note)


MAX_INSTANT_LENGTH = 40  # the longest ISO 8601 instant with an offset, and room to spare


def parse_instant(raw: str) -> dt.datetime:
    """An ISO 8601 instant with an offset (or Z); ValueError otherwise."""
    if len(raw) > MAX_INSTANT_LENGTH:
        raise ValueError("too long")
    instant = dt.datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "+"))
    if instant.tzinfo is None:
        raise ValueError("no offset")
    return instant


def _iso(instant: dt.datetime | None, zone: ZoneInfo) -> str | None:
    return None if instant is None else instant.astimezone(zone).isoformat()


def status_json(schedule: Schedule, at: dt.datetime) -> dict[str, object]:
    """The ``/api/status`` document: instants as ISO 8601 with the offset of the schedule's zone."""
    zone = zone_for(schedule.timezone)
    return {
        "timezone": schedule.timezone,
        "at": _iso(_as_utc(at), zone),
        "channels": {
            name: {
                "open": status.open,
                "closes_at": _iso(status.closes_at, zone),
                "opens_at": _iso(status.opens_at, zone),
                "note": status.note,
                "note_en": status.note_en,
            }
            for name, status in schedule_status(schedule, at).items()
        },
    }
