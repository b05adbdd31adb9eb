"""Opening hours as visitors read them: status sentences, this week's table, coming changes.

The engine answers in structures; this module turns them into words in the page's language.
Status is computed on the server for every request, so it is right without JavaScript and
never stale in a cache. If the hours cannot be read, callers get None and pages say so
honestly ("call to check") instead of failing.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from flask import g
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from app.hours.engine import (
    Channel,
    ChannelStatus,
    DateException,
    Phrase,
    Schedule,
    channel_status,
    describe,
    intervals_on,
    note_on,
    zone_for,
)
from app.hours.schedule_json import format_interval
from app.hours.store import current_schedule

log = logging.getLogger(__name__)
WEEK = 7
UPCOMING_DAYS = 60


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class StatusView:
    open: bool
    text: str
    status: ChannelStatus


def schedule_or_none() -> Schedule | None:
    """The schedule, or None when the database cannot be read (pages then say "call to check")."""
    if "schedule" not in g:
        try:
            g.schedule = current_schedule()
        except (SQLAlchemyError, ValueError):
            log.error("opening hours unavailable")
            g.schedule = None
    schedule: Schedule | None = g.schedule
    return schedule


def phrase_text(phrase: Phrase) -> str:
    """A status in the words of hours.md: "Nu open · tot 22:00", "Gesloten · weer open ..."."""
    time = phrase.time.strftime("%H:%M") if phrase.time else ""
    when = ""
    if phrase.day == "today":
        when = _("today at %(time)s", time=time)
    elif phrase.day == "tomorrow":
        when = _("tomorrow at %(time)s", time=time)
    elif phrase.day == "weekday" and phrase.date:
        weekday = format_date(phrase.date, "EEEE")
        when = _("on %(weekday)s at %(time)s", weekday=weekday, time=time)
    elif phrase.date:
        day = format_date(phrase.date, "EEEE d MMMM")
        when = _("on %(date)s at %(time)s", date=day, time=time)
    if phrase.kind == "open_until":
        return _("Open now · until %(time)s", time=time) if time else _("Open now")
    if phrase.kind == "closed_today":
        text = _("Closed today (%(note)s)", note=phrase.note)
        return _("%(closed)s · open again %(when)s", closed=text, when=when) if when else text
    if phrase.kind == "closed_opens":
        return _("Closed · open again %(when)s", when=when)
    return _("Closed · no opening hours known")


def hours_status(name: str) -> StatusView | None:
    """The status of channel `name` right now, for templates; None if unknown or unavailable.

    Computed once per request and channel: a page mentions each channel several times.
    """
    views: dict[str, StatusView | None] = g.setdefault("hours_views", {})
    if name not in views:
        views[name] = _compute_status(name)
    return views[name]


def _compute_status(name: str) -> StatusView | None:
    schedule = schedule_or_none()
    if schedule is None or name not in schedule.channels:
        return None
    at = now()
    status = channel_status(schedule.channels[name], schedule.timezone, at)
    phrase = describe(status, at, schedule.timezone)
    if name == "chat" and status.open and not _chat_staffed():
        # Open by the hours, but nobody to answer: say so, and do not offer the chat.
        text = _("Open, but no counsellor is free right now: please call instead")
        return StatusView(open=False, text=text, status=status)
    return StatusView(open=status.open, text=phrase_text(phrase), status=status)


def _chat_staffed() -> bool:
    from app.chat.web import chat_staffed

    return chat_staffed()


def all_closed() -> bool:
    """True when every channel is known to be closed now (not when hours are unavailable)."""
    schedule = schedule_or_none()
    if schedule is None:
        return False
    views = [hours_status(name) for name in schedule.channels]
    return all(view is not None and not view.open for view in views)


@dataclass(frozen=True)
class DayHours:
    date: dt.date
    hours: list[str]
    note: str | None


def week(channel: Channel, timezone: str, start: dt.date) -> list[DayHours]:
    """Seven days from `start`: each day's intervals as "HH:MM-HH:MM", with that day's note."""
    days = [start + dt.timedelta(days=offset) for offset in range(WEEK)]
    return [
        DayHours(
            day,
            [format_interval(i).replace("-", "–") for i in intervals_on(channel, day)],
            note_on(channel, day),
        )
        for day in days
    ]


def upcoming_exceptions(channel: Channel, today: dt.date) -> list[DateException]:
    horizon = today + dt.timedelta(days=UPCOMING_DAYS)
    return [e for e in channel.exceptions if e.last >= today and e.first <= horizon]


def today_in(schedule: Schedule) -> dt.date:
    return now().astimezone(zone_for(schedule.timezone)).date()
