"""Instants, hours and statuses for the engine tests, compared in UTC (2026, Europe/Amsterdam)."""

import datetime as dt
from zoneinfo import ZoneInfo

from app.hours.engine import channel_status, openings
from app.hours.intervals_json import parse_interval
from app.hours.model import Channel, ChannelStatus, DateException, Interval

AMS = "Europe/Amsterdam"
ZONE = ZoneInfo(AMS)
UTC = dt.UTC
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=ZONE)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def hours(*texts: str) -> tuple[Interval, ...]:
    return tuple(parse_interval(text) for text in texts)


def every_day(*texts: str) -> dict[int, tuple[Interval, ...]]:
    return dict.fromkeys(range(7), hours(*texts))


def in_utc(instant: dt.datetime | None) -> dt.datetime | None:
    """Results are in the channel's zone; compare them in UTC, because == between datetimes of
    one zone ignores fold and == across zones is always False for a time in the fold."""
    if instant is None:
        return None
    assert instant.tzinfo is ZONE
    return instant.astimezone(UTC)


def status(channel: Channel, at: dt.datetime) -> ChannelStatus:
    result = channel_status(channel, AMS, at)
    return ChannelStatus(
        result.open, in_utc(result.closes_at), in_utc(result.opens_at), result.note
    )


def runs_between(
    channel: Channel, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime | None, dt.datetime | None]]:
    return [(in_utc(a), in_utc(b)) for a, b in openings(channel, AMS, start, end)]


#: Christmas 2026: shorter hours on the 24th, closed on the 25th and 26th.
CHRISTMAS = (
    DateException(dt.date(2026, 12, 24), dt.date(2026, 12, 24), hours("09:00-17:00"), "Kerstavond"),
    DateException(dt.date(2026, 12, 25), dt.date(2026, 12, 26), None, "Kerst"),
)
