"""What decides the hours of one date: a staff exception, the holiday policy, or the week.

Pure code (stdlib + ``holidays``), no Flask. An explicit exception beats the holiday policy,
which beats the weekly hours (``docs/opening-hours.md``). Holiday names come from ``holidays`` in
each language, so an English page never has to show a Dutch word.
"""

import datetime as dt
import functools
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import holidays

from app.hours.model import Channel, DateException, Interval, Language

#: The ``holidays`` package's name for each of our languages (it has no plain "en" for NL).
HOLIDAY_LANGUAGES: Mapping[Language, str] = MappingProxyType({"nl": "nl", "en": "en_US"})


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
