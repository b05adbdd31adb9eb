"""The opening-hours validator's problems (app/hours/errors.py) in the staff member's language.

One table: each code to its msgid, with the same ``%(name)s`` parameters the validator gives.
The editor and the upload page show these; the CLI words the same codes in English itself.
Most msgids are written for the form ("Give a date."); the ones only a hand-edited file can
cause keep the CLI's wording, because they name the file's keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from types import MappingProxyType

from flask_babel import LazyString, format_date
from flask_babel import lazy_gettext as _l

from app.hours.errors import Code, FieldError, Param
from app.hours.schedule_json import WEEKDAYS

# Weekday names inside a sentence come from the locale: lower case in Dutch.
A_MONDAY = dt.date(2024, 1, 1)

MESSAGES: Mapping[Code, LazyString] = MappingProxyType(
    {
        Code.NOT_A_DOCUMENT: _l("This is not an opening hours file."),
        Code.UNKNOWN_KEY: _l("unknown key; expected one of %(allowed)s"),
        Code.REQUIRED: _l("required"),
        Code.UNKNOWN_ZONE: _l("Unknown time zone: use a name like Europe/Amsterdam."),
        Code.CHANNELS_NOT_AN_OBJECT: _l("expected an object of channels"),
        Code.NO_CHANNELS: _l("at least one channel is required"),
        Code.TOO_MANY_CHANNELS: _l("At most %(count)s channels."),
        Code.BAD_CHANNEL_NAME: _l("channel names are a-z, 0-9 and _, starting with a letter"),
        Code.CHANNEL_NOT_AN_OBJECT: _l("expected an object with weekly, holidays and exceptions"),
        Code.BAD_HOLIDAY_POLICY: _l('expected "closed" or "normal"'),
        Code.WEEKLY_NOT_AN_OBJECT: _l("expected an object with keys mon ... sun"),
        Code.UNKNOWN_WEEKDAY: _l("unknown weekday; use %(weekdays)s"),
        Code.INTERVALS_NOT_A_LIST: _l('expected a list like ["09:00-17:00"]'),
        Code.TOO_MANY_INTERVALS: _l("At most %(count)s opening times per day."),
        Code.INTERVAL_FORMAT: _l(
            "Write hours like 09:00-17:00. Separate more than one with commas."
        ),
        Code.INTERVAL_RANGE: _l(
            "Hours go from 00 to 23 and minutes from 00 to 59 (24:00 only as an end time)."
        ),
        Code.OVERLAPS_HOURS: _l("overlaps %(hours)s."),
        Code.OVERLAPS_NIGHT: _l("overlaps the late hours of %(day)s (%(hours)s)."),
        Code.OVERLAPS_PREVIOUS_DAY: _l("overlaps the previous day's late hours (%(hours)s)."),
        Code.EXCEPTIONS_NOT_A_LIST: _l("expected a list of exceptions"),
        Code.TOO_MANY_EXCEPTIONS: _l("At most %(count)s dates per channel."),
        Code.EXCEPTION_NOT_AN_OBJECT: _l(
            "expected an object with date (or from and to), closed or hours, note, note_en"
        ),
        Code.DATE_AND_RANGE: _l("use either date or from/to, not both"),
        Code.DATE_REQUIRED: _l("Give a date."),
        Code.FROM_REQUIRED: _l("Give the first date."),
        Code.TO_REQUIRED: _l("Give the last date."),
        Code.DATE_FORMAT: _l("Give a date like 2026-12-24."),
        Code.NO_SUCH_DATE: _l("This date does not exist."),
        Code.DATE_OUT_OF_RANGE: _l("Give a date between %(first)s and %(last)s."),
        Code.TO_BEFORE_FROM: _l("The last date is before the first date."),
        Code.RANGE_TOO_LONG: _l("A period can be at most %(days)s days long."),
        Code.CLOSED_AND_HOURS: _l("Tick “Closed” or give hours, not both."),
        Code.CLOSED_OR_HOURS: _l("Tick “Closed”, or give the hours it is open that day."),
        Code.CLOSED_NOT_TRUE: _l("must be true (give hours to open instead)"),
        Code.HOURS_EMPTY: _l("must not be empty; use closed: true"),
        Code.NOTE_NOT_TEXT: _l("expected text"),
        Code.NOTE_TOO_LONG: _l("Use at most %(count)s characters."),
        Code.OVERLAPS_EXCEPTION: _l("These dates overlap %(other)s."),
        Code.INCONSISTENT: _l("These hours cannot be saved: %(detail)s"),
    }
)


def explain(error: FieldError, describe_row: Callable[[str], str | None] | None = None) -> str:
    """The problem in the staff member's language, without its path.

    Two parameters are worded here rather than shown as the validator gives them: a weekday
    key (``mon``) becomes the locale's name for that day, and the path of an overlapping
    exception becomes that row as staff typed it (``describe_row``), when the page has rows.
    """
    params: dict[str, Param] = dict(error.params)
    if error.code is Code.OVERLAPS_NIGHT:
        day = WEEKDAYS.index(str(params["day"]))
        params["day"] = format_date(A_MONDAY + dt.timedelta(days=day), "EEEE")
    if error.code is Code.OVERLAPS_EXCEPTION and describe_row is not None:
        params["other"] = describe_row(str(params["other"])) or params["other"]
    return str(MESSAGES[error.code]) % params
