"""What is wrong with an opening-hours document, as data: a path, a code and its parameters.

The validator (``app/hours/schedule_json.py``) says *what* is wrong and *where*; it does not
write sentences. Each reader words it in their own language from the code: the CLI in English
through ``english`` below, the staff editor and the upload page through gettext
(``app/staff/hours/messages.py``). A fixed enumeration of codes, rather than sentences, is what
lets both renderings be complete and checked (``tests/hours/test_errors.py``): a new problem
without a wording in either place fails a test instead of reaching staff untranslated.

Parameters are plain values (numbers, clock times, dates, paths, weekday keys such as ``mon``)
so that each renderer can localise them (a weekday name, a row described as staff typed it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

Param = str | int


class Code(StrEnum):
    """Every problem the validator can report. The values are stable names, not text; the
    comment after a code names the parameters it comes with."""

    NOT_A_DOCUMENT = "not_a_document"
    UNKNOWN_KEY = "unknown_key"  # allowed
    REQUIRED = "required"
    UNKNOWN_ZONE = "unknown_zone"
    CHANNELS_NOT_AN_OBJECT = "channels_not_an_object"
    NO_CHANNELS = "no_channels"
    TOO_MANY_CHANNELS = "too_many_channels"  # count
    BAD_CHANNEL_NAME = "bad_channel_name"
    CHANNEL_NOT_AN_OBJECT = "channel_not_an_object"
    BAD_HOLIDAY_POLICY = "bad_holiday_policy"
    WEEKLY_NOT_AN_OBJECT = "weekly_not_an_object"
    UNKNOWN_WEEKDAY = "unknown_weekday"  # weekdays
    INTERVALS_NOT_A_LIST = "intervals_not_a_list"
    TOO_MANY_INTERVALS = "too_many_intervals"  # count
    INTERVAL_FORMAT = "interval_format"
    INTERVAL_RANGE = "interval_range"
    OVERLAPS_HOURS = "overlaps_hours"  # hours
    OVERLAPS_NIGHT = "overlaps_night"  # day (mon..sun), hours
    OVERLAPS_PREVIOUS_DAY = "overlaps_previous_day"  # hours
    EXCEPTIONS_NOT_A_LIST = "exceptions_not_a_list"
    TOO_MANY_EXCEPTIONS = "too_many_exceptions"  # count
    EXCEPTION_NOT_AN_OBJECT = "exception_not_an_object"
    DATE_AND_RANGE = "date_and_range"
    DATE_REQUIRED = "date_required"
    FROM_REQUIRED = "from_required"
    TO_REQUIRED = "to_required"
    DATE_FORMAT = "date_format"
    NO_SUCH_DATE = "no_such_date"
    DATE_OUT_OF_RANGE = "date_out_of_range"  # first, last
    TO_BEFORE_FROM = "to_before_from"
    RANGE_TOO_LONG = "range_too_long"  # days
    CLOSED_AND_HOURS = "closed_and_hours"
    CLOSED_OR_HOURS = "closed_or_hours"
    CLOSED_NOT_TRUE = "closed_not_true"
    HOURS_EMPTY = "hours_empty"
    NOTE_NOT_TEXT = "note_not_text"
    NOTE_TOO_LONG = "note_too_long"  # count
    OVERLAPS_EXCEPTION = "overlaps_exception"  # other (the path of the other exception)
    INCONSISTENT = "inconsistent"  # detail; the checks make it unreachable, kept as a safety net


#: The English wording, for the CLI and for exception messages (``%(name)s`` placeholders).
ENGLISH: Mapping[Code, str] = MappingProxyType(
    {
        Code.NOT_A_DOCUMENT: "expected a JSON object",
        Code.UNKNOWN_KEY: "unknown key; expected one of %(allowed)s",
        Code.REQUIRED: "required",
        Code.UNKNOWN_ZONE: "unknown time zone; use a name like Europe/Amsterdam",
        Code.CHANNELS_NOT_AN_OBJECT: "expected an object of channels",
        Code.NO_CHANNELS: "at least one channel is required",
        Code.TOO_MANY_CHANNELS: "at most %(count)s channels",
        Code.BAD_CHANNEL_NAME: "channel names are a-z, 0-9 and _, starting with a letter",
        Code.CHANNEL_NOT_AN_OBJECT: "expected an object with weekly, holidays and exceptions",
        Code.BAD_HOLIDAY_POLICY: 'expected "closed" or "normal"',
        Code.WEEKLY_NOT_AN_OBJECT: "expected an object with keys mon ... sun",
        Code.UNKNOWN_WEEKDAY: "unknown weekday; use %(weekdays)s",
        Code.INTERVALS_NOT_A_LIST: 'expected a list like ["09:00-17:00"]',
        Code.TOO_MANY_INTERVALS: "at most %(count)s intervals a day",
        Code.INTERVAL_FORMAT: "use HH:MM-HH:MM, for example 09:00-17:00",
        Code.INTERVAL_RANGE: "hours are 00-23 and minutes 00-59 (24:00 only as an end)",
        Code.OVERLAPS_HOURS: "overlaps %(hours)s",
        Code.OVERLAPS_NIGHT: "overlaps %(day)s %(hours)s",
        Code.OVERLAPS_PREVIOUS_DAY: "overlaps the previous day's %(hours)s",
        Code.EXCEPTIONS_NOT_A_LIST: "expected a list of exceptions",
        Code.TOO_MANY_EXCEPTIONS: "at most %(count)s exceptions",
        Code.EXCEPTION_NOT_AN_OBJECT: (
            "expected an object with date (or from and to), closed or hours, note, note_en"
        ),
        Code.DATE_AND_RANGE: "use either date or from/to, not both",
        Code.DATE_REQUIRED: "required (or from and to)",
        Code.FROM_REQUIRED: "required with to",
        Code.TO_REQUIRED: "required with from",
        Code.DATE_FORMAT: "expected a date like 2026-12-24",
        Code.NO_SUCH_DATE: "no such date",
        Code.DATE_OUT_OF_RANGE: "must be between %(first)s and %(last)s",
        Code.TO_BEFORE_FROM: "is before from",
        Code.RANGE_TOO_LONG: "a range covers at most %(days)s days",
        Code.CLOSED_AND_HOURS: "use either closed or hours, not both",
        Code.CLOSED_OR_HOURS: "give closed: true or hours",
        Code.CLOSED_NOT_TRUE: "must be true (give hours to open instead)",
        Code.HOURS_EMPTY: "must not be empty; use closed: true",
        Code.NOTE_NOT_TEXT: "expected text",
        Code.NOTE_TOO_LONG: "at most %(count)s characters",
        Code.OVERLAPS_EXCEPTION: "overlaps %(other)s",
        Code.INCONSISTENT: "%(detail)s",
    }
)


@dataclass(frozen=True)
class FieldError:
    """One problem: ``path`` like ``channels.chat.weekly.tue[1]`` (``""``: the document)."""

    path: str
    code: Code
    params: Mapping[str, Param] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def __hash__(self) -> int:  # the generated one would fail on the mapping
        return hash((self.path, self.code, tuple(sorted(self.params.items()))))


def english(error: FieldError | Invalid) -> str:
    """The problem in English, without its path: what the CLI prints after ``path: ``."""
    return ENGLISH[error.code] % dict(error.params)


class Invalid(ValueError):
    """One value is wrong (a code and its parameters, no path: the caller knows where it is).

    A ``ValueError`` whose text is the English wording, so code that only needs "is this valid"
    can treat it like any other."""

    def __init__(self, code: Code, **params: Param) -> None:
        self.code = code
        self.params: Mapping[str, Param] = MappingProxyType(params)
        super().__init__(english(self))


class ScheduleError(ValueError):
    """The document is not a valid schedule; ``errors`` lists every problem found."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.path or '(document)'}: {english(e)}" for e in errors))
        self.errors = errors


class Problems:
    """The problems found so far in one document, in the order they were found."""

    def __init__(self) -> None:
        self.items: list[FieldError] = []

    def add(self, path: str, code: Code, **params: Param) -> None:
        self.items.append(FieldError(path, code, params))

    def check_keys(
        self,
        data: Mapping[object, object],
        path: str,
        allowed: tuple[str, ...],
        required: tuple[str, ...],
    ) -> None:
        """Report keys of ``data`` that are not ``allowed``, and ``required`` ones missing."""
        for key in data:
            if key not in allowed:
                self.add(child_path(path, key), Code.UNKNOWN_KEY, allowed=", ".join(allowed))
        for key in required:
            if key not in data:
                self.add(child_path(path, key), Code.REQUIRED)


def child_path(path: str, key: object) -> str:
    """The path of ``key`` inside ``path`` (``""`` is the document itself)."""
    return f"{path}.{key}" if path else str(key)
