"""Opening hours as visitors read them: status sentences, this week's table, coming changes.

The engine answers in structures; this module turns them into words in the page's language.
Notes and holiday names come in that language too: an English page shows the English note
staff wrote, or no note and the page's own "Closed", never the Dutch text.
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

from app import clock
from app.chat.availability import chat_open
from app.chat.web import chat_staffed
from app.content import current_schedule
from app.hours.engine import (
    Channel,
    ChannelStatus,
    Interval,
    Language,
    Phrase,
    Schedule,
    channel_status,
    day_rule,
    describe,
)
from app.hours.schedule_json import format_interval
from app.i18n import current_language
from app.page_inputs import Input, note_read

log = logging.getLogger(__name__)
WEEK = 7
UPCOMING_DAYS = 60


@dataclass(frozen=True)
class StatusView:
    open: bool
    text: str
    status: ChannelStatus


def schedule_or_none() -> Schedule | None:
    """The schedule, or None when the database cannot be read (pages then say "call to check")."""
    note_read(Input.HOURS)  # before the memo: every render that asks is recorded
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
        # Without a note in this language (staff wrote only the Dutch one), say it neutrally.
        neutral = _("Closed today")
        text = _("Closed today (%(note)s)", note=phrase.note) if phrase.note else neutral
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
    at = clock.now()
    status = channel_status(schedule.channels[name], schedule.timezone, at)
    phrase = describe(status, at, schedule.timezone, page_language())
    if name == "chat" and status.open and not chat_open(status.open, chat_staffed()):
        # Open by the hours, but nobody to answer: say so, and do not offer the chat.
        text = _("Open, but no counsellor is free right now: please call instead")
        return StatusView(open=False, text=text, status=status)
    return StatusView(open=status.open, text=phrase_text(phrase), status=status)


def chat_is_open() -> bool:
    """The chat takes visitors now (app/chat/availability.py); False when hours are unknown."""
    status = hours_status("chat")
    return bool(status and status.open)


def all_closed() -> bool:
    """True when every channel is known to be closed now (not when hours are unavailable)."""
    schedule = schedule_or_none()
    if schedule is None:
        return False
    views = [hours_status(name) for name in schedule.channels]
    return all(view is not None and not view.open for view in views)


def page_language() -> Language:
    """The language of the page being built, as the engine names it."""
    return "en" if current_language() == "en" else "nl"


@dataclass(frozen=True)
class DayHours:
    date: dt.date
    hours: list[str]
    note: str | None


def _shown(intervals: tuple[Interval, ...]) -> list[str]:
    return [format_interval(i).replace("-", "–") for i in intervals]


def week(channel: Channel, timezone: str, start: dt.date, language: Language) -> list[DayHours]:
    """Seven days from `start`: each day's intervals as "HH:MM–HH:MM", with that day's note in
    `language`."""
    days = [start + dt.timedelta(days=offset) for offset in range(WEEK)]
    rules = [(day, day_rule(channel, day)) for day in days]
    return [DayHours(day, _shown(rule.intervals), rule.note(language)) for day, rule in rules]


@dataclass(frozen=True)
class ChangedDays:
    """Consecutive dates (`first`..`last`) with the same changed hours and the same note.

    `intervals` is empty when the channel is closed; `note` is in the page's language, or None.
    """

    first: dt.date
    last: dt.date
    intervals: tuple[Interval, ...]
    note: str | None

    @property
    def hours(self) -> list[str]:
        return _shown(self.intervals)


def changed_days(channel: Channel, today: dt.date, language: Language) -> list[ChangedDays]:
    """Every day from `today` to `UPCOMING_DAYS` ahead whose hours are not the weekly ones.

    That is each day of a staff exception (they entered it on purpose, even where the hours
    happen to match), and each public holiday the policy closes on a day the channel would
    otherwise be open. Following days with the same hours and note are one entry
    ("24 – 26 December: closed (Kerst)"), so a long closure stays one line.
    """
    changes: list[ChangedDays] = []
    previous: tuple[object, ...] | None = None
    for offset in range(UPCOMING_DAYS + 1):
        day = today + dt.timedelta(days=offset)
        rule = day_rule(channel, day)
        usual = channel.weekly[day.weekday()]
        if rule.exception is None and rule.intervals == usual:
            previous = None  # the weekly hours, also on a holiday the channel is closed anyway
            continue
        note = rule.note(language)
        key: tuple[object, ...] = (rule.intervals, note, rule.exception)
        if key == previous:
            changes[-1] = ChangedDays(changes[-1].first, day, rule.intervals, note)
        else:
            changes.append(ChangedDays(day, day, rule.intervals, note))
        previous = key
    return changes
