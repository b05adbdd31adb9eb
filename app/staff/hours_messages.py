"""The opening-hours validator's messages (app/hours/schedule_json.py) in the staff member's
language. The validator speaks English to the CLI; the editor and the upload page show these.
A message not listed here is shown as it is."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.hours.schedule_json import WEEKDAYS

# Weekday names inside a sentence come from the locale: lower case in Dutch.
A_MONDAY = dt.date(2024, 1, 1)

_SIMPLE_MESSAGES = {
    "use HH:MM-HH:MM, for example 09:00-17:00": _l(
        "Write hours like 09:00-17:00. Separate more than one with commas."
    ),
    "hours are 00-23 and minutes 00-59 (24:00 only as an end)": _l(
        "Hours go from 00 to 23 and minutes from 00 to 59 (24:00 only as an end time)."
    ),
    "expected a date like 2026-12-24": _l("Give a date like 2026-12-24."),
    "no such date": _l("This date does not exist."),
    "required (or from and to)": _l("Give a date."),
    "required with to": _l("Give the first date."),
    "required with from": _l("Give the last date."),
    "is before from": _l("The last date is before the first date."),
    "use either closed or hours, not both": _l("Tick “Closed” or give hours, not both."),
    "give closed: true or hours": _l("Tick “Closed”, or give the hours it is open that day."),
    "unknown time zone; use a name like Europe/Amsterdam": _l(
        "Unknown time zone: use a name like Europe/Amsterdam."
    ),
    "expected a JSON object": _l("This is not an opening hours file."),
}
_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"overlaps ((?:mon|tue|wed|thu|fri|sat|sun)) (\S+)"),
        lambda m: _(
            "overlaps the late hours of %(day)s (%(hours)s).",
            day=format_date(A_MONDAY + dt.timedelta(days=WEEKDAYS.index(m[1])), "EEEE"),
            hours=m.group(2),
        ),
    ),
    (
        re.compile(r"overlaps the previous day's (\S+)"),
        lambda m: _("overlaps the previous day's late hours (%(hours)s).", hours=m.group(1)),
    ),
    (
        re.compile(r"overlaps ([0-9:]{5}-[0-9:]{5})"),
        lambda m: _("overlaps %(hours)s.", hours=m.group(1)),
    ),
    (
        re.compile(r"must be between (\S+) and (\S+)"),
        lambda m: _("Give a date between %(first)s and %(last)s.", first=m[1], last=m[2]),
    ),
    (
        re.compile(r"a range covers at most ([0-9]+) days"),
        lambda m: _("A period can be at most %(days)s days long.", days=m.group(1)),
    ),
    (
        re.compile(r"at most ([0-9]+) exceptions"),
        lambda m: _("At most %(count)s dates per channel.", count=m.group(1)),
    ),
    (
        re.compile(r"at most ([0-9]+) channels"),
        lambda m: _("At most %(count)s channels.", count=m.group(1)),
    ),
    (
        re.compile(r"at most ([0-9]+) intervals a day"),
        lambda m: _("At most %(count)s opening times per day.", count=m.group(1)),
    ),
    (
        re.compile(r"at most ([0-9]+) characters"),
        lambda m: _("Use at most %(count)s characters.", count=m.group(1)),
    ),
]


def explain(message: str, describe_row: Callable[[str], str | None] | None = None) -> str:
    """A validator message in the staff member's language (unknown ones stay as they are)."""
    if message in _SIMPLE_MESSAGES:
        return str(_SIMPLE_MESSAGES[message])
    other = re.fullmatch(r"overlaps ((?:channels\.\w+\.)?exceptions\[[0-9]+\])", message)
    if other:
        described = describe_row(other.group(1)) if describe_row else None
        return _("These dates overlap %(other)s.", other=described or other.group(1))
    for pattern, text in _PATTERNS:
        match = pattern.fullmatch(message)
        if match:
            return text(match)
    return message
