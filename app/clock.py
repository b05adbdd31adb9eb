"""The one clock: what time it is, for every part of the site (no Flask, no app imports).

Opening hours, the notice's start and end, staff sessions, the chat's rules, messages and
the page cache's minute all ask `now()` here, always as `clock.now()` through this module
(never `from app.clock import now`): then a test that freezes this one function freezes the
whole site at once (the `clock` fixture in tests/conftest.py, tests/clock.py), and no part can
run on a clock of its own that disagrees with the others.

Times are aware and in UTC; a part that speaks local time converts (`local_today`). Waits and
deadlines (long polls, the messages' sweep interval) use `time.monotonic`, not this clock: a
duration must not jump with the wall clock, and a frozen test clock must not stop a wait. The
chat store's sweep interval (app/chat/web.py) is counted on this clock, as its rules are, so a
test that moves the clock on also runs the sweep.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def now() -> dt.datetime:
    """This moment, aware, in UTC."""
    return dt.datetime.now(dt.UTC)


def seconds() -> float:
    """This moment as Unix seconds, the unit of the chat store's rules."""
    return now().timestamp()


def local_today(timezone: str) -> dt.date:
    """Today's date in `timezone` (the schedule's zone): the helpline's day, not UTC's."""
    return now().astimezone(ZoneInfo(timezone)).date()


def aware(moment: dt.datetime) -> dt.datetime:
    """A datetime read from the database, made aware.

    SQLite returns naive datetimes (PostgreSQL aware ones); every time we store is UTC, so a
    naive one is UTC and is labelled so, never shifted.
    """
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
