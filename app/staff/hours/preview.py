"""What staff see before they save opening hours: the public status at a moment they choose,
the next 14 days, and a warning for hours that start or end in the hour the clocks change.

The engine handles clock changes correctly (hours.md); the warning is there because a shift
that starts or ends in that hour is really an hour shorter or longer, which staff should know.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask_babel import format_date
from flask_babel import gettext as _

from app.hours.day_rules import intervals_on
from app.hours.display import DayHours, page_language, phrase_text, week
from app.hours.engine import channel_status, describe
from app.hours.exceptions_json import FIRST_DATE, LAST_DATE
from app.hours.intervals_json import format_interval
from app.hours.model import MINUTES_PER_DAY, Channel, Interval, Schedule, zone_for
from app.staff.hours.form import channel_label

PREVIEW_WEEKS = 2
WARNING_DAYS = 366
_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class ChannelPreview:
    label: str
    open: bool
    text: str


@dataclass(frozen=True)
class Preview:
    """`at` is in the schedule's own zone (`timezone`), so the page names the wall time
    visitors there see, not the server's UTC."""

    at: dt.datetime
    timezone: str
    statuses: list[ChannelPreview]
    labels: list[str]
    days: list[tuple[dt.date, list[DayHours]]]


def preview_moment(text: str | None, timezone: str, default: dt.datetime) -> dt.datetime:
    """The wall time staff typed ("2026-12-24T18:00") in the schedule's zone; ValueError if it
    cannot be read."""
    text = (text or "").strip()
    if not text:
        return default
    wall = dt.datetime.fromisoformat(text)
    if wall.tzinfo is not None or not FIRST_DATE <= wall.date() <= LAST_DATE:
        raise ValueError(text)
    return wall.replace(tzinfo=zone_for(timezone))


def preview(schedule: Schedule, at: dt.datetime) -> Preview:
    """Each channel's public status at `at`, and every day's hours for two weeks from then."""
    timezone = schedule.timezone
    language = page_language()
    statuses = []
    for name, channel in schedule.channels.items():
        status = channel_status(channel, timezone, at)
        text = phrase_text(describe(status, at, timezone, language))
        statuses.append(ChannelPreview(channel_label(name), status.open, text))
    local = at.astimezone(zone_for(timezone))
    weeks = [local.date() + n * 7 * _ONE_DAY for n in range(PREVIEW_WEEKS)]
    columns = [
        [day for start in weeks for day in week(c, timezone, start, language)]
        for c in schedule.channels.values()
    ]
    days = [(row[0].date, list(row)) for row in zip(*columns, strict=True)]
    return Preview(local, timezone, statuses, [channel_label(n) for n in schedule.channels], days)


def _changed_hour(day: dt.date, zone: ZoneInfo) -> tuple[int, int] | None:
    """The wall-clock minutes [low, high) that are skipped or repeated on `day`, if the clocks
    change that day."""
    start = dt.datetime.combine(day, dt.time(), zone).astimezone(dt.UTC)
    end = dt.datetime.combine(day + _ONE_DAY, dt.time(), zone).astimezone(dt.UTC)
    before = start.astimezone(zone).utcoffset()
    if before == end.astimezone(zone).utcoffset():
        return None
    moment = start
    while moment.astimezone(zone).utcoffset() == before:
        moment += dt.timedelta(minutes=1)
    after = moment.astimezone(zone).utcoffset()
    assert before is not None  # noqa: S101 (a ZoneInfo always has an offset)
    assert after is not None  # noqa: S101
    midnight = dt.datetime.combine(day, dt.time())
    utc_wall = moment.replace(tzinfo=None)
    walls = sorted(
        int((utc_wall + offset - midnight).total_seconds()) // 60 for offset in (before, after)
    )
    return walls[0], walls[1]


def _touching(
    channel: Channel, day: dt.date, low: int, high: int
) -> list[tuple[dt.date, Interval]]:
    """Intervals that start or end on `day` at a wall time in [low, high)."""
    found = [
        (day - _ONE_DAY, i)
        for i in intervals_on(channel, day - _ONE_DAY)
        if i.end > MINUTES_PER_DAY and low <= i.end - MINUTES_PER_DAY < high
    ]
    found += [
        (day, i)
        for i in intervals_on(channel, day)
        if low <= i.start < high or (i.end <= MINUTES_PER_DAY and low <= i.end < high)
    ]
    return found


def clock_change_warnings(schedule: Schedule, today: dt.date) -> list[str]:
    """A sentence for every interval in the coming year that starts or ends in the hour the
    clocks change."""
    zone = zone_for(schedule.timezone)
    warnings = []
    for offset in range(WARNING_DAYS):
        day = today + offset * _ONE_DAY
        hour = _changed_hour(day, zone)
        if hour is None:
            continue
        for name, channel in schedule.channels.items():
            for start_day, interval in _touching(channel, day, *hour):
                warnings.append(
                    _(
                        "%(channel)s, %(date)s: %(hours)s starts or ends between %(low)s and "
                        "%(high)s, when the clocks change. Visitors see the right times, but this "
                        "shift is an hour shorter or longer than usual.",
                        channel=channel_label(name),
                        date=format_date(start_day, "EEEE d MMMM yyyy"),
                        hours=format_interval(interval),
                        low="{:02d}:{:02d}".format(*divmod(hour[0], 60)),
                        high="{:02d}:{:02d}".format(*divmod(hour[1], 60)),
                    )
                )
    return warnings
