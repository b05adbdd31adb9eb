"""Opening-hours engine: is a channel open at an instant, until when, and when does it open next.

Pure code (stdlib + ``holidays``), no Flask. The rules are in ``docs/opening-hours.md``:

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
  type next to it, and holiday names from ``holidays`` in each language, so an English page never
  has to show a Dutch word.
"""

import datetime as dt
import functools
import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

MINUTES_PER_DAY = 24 * 60
#: How far ahead ``channel_status`` looks for the next opening (and for the end of a run).
SEARCH_HORIZON = dt.timedelta(days=60)
#: Longest window ``openings`` accepts; keeps every call bounded.
MAX_WINDOW = dt.timedelta(days=366)
#: Instants outside these years are rejected, so date arithmetic near the search never overflows.
MIN_YEAR, MAX_YEAR = 1900, 2999

HolidayPolicy = Literal["closed", "normal"]
PhraseKind = Literal["open_until", "closed_opens", "closed_today", "no_hours_known"]
DayWord = Literal["today", "tomorrow", "weekday", "date"]
Language = Literal["nl", "en"]
#: The ``holidays`` package's name for each of our languages (it has no plain "en" for NL).
HOLIDAY_LANGUAGES: Mapping[Language, str] = MappingProxyType({"nl": "nl", "en": "en_US"})

_ONE_DAY = dt.timedelta(days=1)
_ZONE_KEY = re.compile(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*")
# Keys that load but whose meaning depends on the server (or is "no zone at all").
_NON_ZONES = frozenset({"localtime", "posixrules", "Factory"})

_Run = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True, order=True)
class Interval:
    """Open from ``start`` to ``end`` (half-open), in minutes after local midnight of the date the
    interval starts on. ``end`` may exceed 1440 for intervals that run past midnight."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < MINUTES_PER_DAY:
            raise ValueError(f"interval start {self.start} is not within the day")
        if not self.start < self.end <= self.start + MINUTES_PER_DAY:
            raise ValueError(f"interval {self.start}-{self.end} must last 1 to 1440 minutes")


@dataclass(frozen=True)
class DateException:
    """Replaces the weekly hours (and the holiday policy) on ``first``..``last`` inclusive.

    ``intervals`` is ``None`` when the channel is closed on those dates; an empty tuple is
    normalised to ``None`` so that each situation has one representation. ``note`` is the
    Dutch note, ``note_en`` the English one; either may be empty.
    """

    first: dt.date
    last: dt.date
    intervals: tuple[Interval, ...] | None
    note: str = ""
    note_en: str = ""

    def note_in(self, language: Language) -> str | None:
        """The note for a page in ``language``; never the other language's text, because an
        English visitor should not have to read Dutch (nor the reverse). ``None`` when staff
        left that language empty: pages then show their own neutral "closed"."""
        return (self.note_en if language == "en" else self.note) or None

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"exception ends ({self.last}) before it starts ({self.first})")
        if self.intervals is not None:
            object.__setattr__(self, "intervals", tuple(sorted(self.intervals)) or None)


@dataclass(frozen=True)
class Channel:
    """Hours of one channel. ``weekly`` maps weekday (0=Monday) to intervals; missing days are
    closed. Exceptions must not share a date. Stored normalised (all seven days, sorted
    intervals, sorted exceptions) so that equal hours compare equal."""

    weekly: Mapping[int, tuple[Interval, ...]]
    exceptions: tuple[DateException, ...] = ()
    holidays: HolidayPolicy = "normal"
    _firsts: tuple[dt.date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        unknown = set(self.weekly) - set(range(7))
        if unknown:
            raise ValueError(f"weekdays must be 0..6, got {sorted(unknown, key=repr)}")
        if self.holidays not in ("closed", "normal"):
            raise ValueError(f"holiday policy must be 'closed' or 'normal', not {self.holidays!r}")
        weekly = {day: tuple(sorted(self.weekly.get(day, ()))) for day in range(7)}
        exceptions = tuple(sorted(self.exceptions, key=lambda e: (e.first, e.last)))
        for before, after in zip(exceptions, exceptions[1:], strict=False):
            if after.first <= before.last:
                raise ValueError(f"exceptions overlap: {before.first} and {after.first}")
        object.__setattr__(self, "weekly", MappingProxyType(weekly))
        object.__setattr__(self, "exceptions", exceptions)
        object.__setattr__(self, "_firsts", tuple(e.first for e in exceptions))

    def __hash__(self) -> int:  # the generated one would fail on the mapping
        return hash((tuple(self.weekly.items()), self.exceptions, self.holidays))


@dataclass(frozen=True)
class Schedule:
    """All channels (in display order) in one time zone."""

    timezone: str
    channels: Mapping[str, Channel]

    def __post_init__(self) -> None:
        zone_for(self.timezone)
        object.__setattr__(self, "channels", MappingProxyType(dict(self.channels)))

    def __hash__(self) -> int:
        return hash((self.timezone, tuple(self.channels.items())))


@dataclass(frozen=True)
class ChannelStatus:
    """``closes_at`` is set when open, ``opens_at`` when closed; either is ``None`` when it lies
    beyond the 60-day search horizon. ``note`` (Dutch) and ``note_en`` (English) belong to the
    local date of the instant asked."""

    open: bool
    closes_at: dt.datetime | None
    opens_at: dt.datetime | None
    note: str | None
    note_en: str | None = None

    def note_in(self, language: Language) -> str | None:
        return self.note_en if language == "en" else self.note


@dataclass(frozen=True)
class Phrase:
    """Structured status sentence; templates turn it into words in the visitor's language.

    ``time``/``day``/``date`` describe ``closes_at`` for ``open_until`` and ``opens_at``
    otherwise (all ``None`` when that instant is unknown).
    """

    kind: PhraseKind
    time: dt.time | None = None
    day: DayWord | None = None
    date: dt.date | None = None
    note: str | None = None


def zone_for(tz: str) -> ZoneInfo:
    """The zone named ``tz``; ``ValueError`` for unknown or server-dependent names."""
    if not isinstance(tz, str) or tz in _NON_ZONES or not _ZONE_KEY.fullmatch(tz):
        raise ValueError(f"unknown time zone {tz!r}")
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise ValueError(f"unknown time zone {tz!r}") from error


@functools.cache
def _dutch_holidays(year: int, language: Language) -> Mapping[dt.date, str]:
    names = holidays.country_holidays("NL", years=year, language=HOLIDAY_LANGUAGES[language])
    return MappingProxyType(dict(names))


def dutch_holiday(day: dt.date, language: Language = "nl") -> str | None:
    """Name, in ``language``, of the Dutch public holiday on ``day`` according to the
    ``holidays`` package (which decides, for example, in which years Liberation Day counts)."""
    return _dutch_holidays(day.year, language).get(day)


@dataclass(frozen=True)
class DayRule:
    """What decides the hours of one date: a staff exception, a closing holiday, or the week.

    ``exception`` is set for an exception, ``holiday`` (the date, for looking up its name) for a
    holiday the policy closes; both ``None`` means the weekly hours apply.
    """

    intervals: tuple[Interval, ...]
    exception: DateException | None = None
    holiday: dt.date | None = None

    def note(self, language: Language = "nl") -> str | None:
        """The exception's note, or the holiday's name, in ``language``."""
        if self.exception is not None:
            return self.exception.note_in(language)
        if self.holiday is not None:
            return dutch_holiday(self.holiday, language)
        return None

    @property
    def special(self) -> bool:
        """True when the weekly hours do not decide this date."""
        return self.exception is not None or self.holiday is not None


def day_rule(channel: Channel, day: dt.date) -> DayRule:
    """The rule for ``day``: exception > holiday policy > weekly hours."""
    index = bisect_right(channel._firsts, day) - 1
    if index >= 0 and day <= channel.exceptions[index].last:
        exception = channel.exceptions[index]
        return DayRule(exception.intervals or (), exception=exception)
    if channel.holidays == "closed" and dutch_holiday(day):
        return DayRule((), holiday=day)
    return DayRule(channel.weekly[day.weekday()])


def intervals_on(channel: Channel, day: dt.date) -> tuple[Interval, ...]:
    """Intervals that start on ``day``: the channel's exception for that date if any, else
    nothing on a public holiday when the policy is ``closed``, else the weekly hours."""
    return day_rule(channel, day).intervals


def note_on(channel: Channel, day: dt.date, language: Language = "nl") -> str | None:
    """The exception note, or the holiday name when the holiday policy closes ``day``, in
    ``language``."""
    return day_rule(channel, day).note(language)


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
            start, end = _instant(day, interval.start, zone), _instant(day, interval.end, zone)
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
            }
            for name, status in schedule_status(schedule, at).items()
        },
    }
