"""The opening hours as data: intervals, date exceptions, channels, a schedule, and a status.

Pure code (stdlib only), no Flask. The values are frozen and normalised when built (sorted
intervals, all seven weekdays, sorted exceptions), so that equal hours compare equal and a
schedule can key a cache. The rules they follow are in ``docs/opening-hours.md``; what decides
the hours of one date is in ``app/hours/day_rules.py``, the status computation in
``app/hours/engine.py``.
"""

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MINUTES_PER_DAY = 24 * 60

HolidayPolicy = Literal["closed", "normal"]
PhraseKind = Literal["open_until", "closed_opens", "closed_today", "no_hours_known"]
DayWord = Literal["today", "tomorrow", "weekday", "date"]
Language = Literal["nl", "en"]

_ZONE_KEY = re.compile(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*")
# Keys that load but whose meaning depends on the server (or is "no zone at all").
_NON_ZONES = frozenset({"localtime", "posixrules", "Factory"})


def zone_for(tz: str) -> ZoneInfo:
    """The zone named ``tz``; ``ValueError`` for unknown or server-dependent names."""
    if not isinstance(tz, str) or tz in _NON_ZONES or not _ZONE_KEY.fullmatch(tz):
        raise ValueError(f"unknown time zone {tz!r}")
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise ValueError(f"unknown time zone {tz!r}") from error


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
