"""Date exceptions in the JSON document: reading and checking them, and writing them back.

An exception is ``{"date": ...}`` or ``{"from": ..., "to": ...}``, with ``closed: true`` or its
own ``hours``, and a ``note`` (Dutch pages) and ``note_en`` (English pages); the document's
shape is described in ``app/hours/schedule_json.py``.
"""

import datetime as dt
import re
from collections.abc import Mapping

from app.hours.errors import Code, Problems, child_path
from app.hours.intervals_json import format_interval, parse_intervals, report_spill
from app.hours.model import DateException, Interval

MAX_NOTE_LENGTH = 200
MAX_EXCEPTION_DAYS = 366
# Per channel, its own and the shared ones together: a closing for every day of a year, plus some.
MAX_EXCEPTIONS = 400
FIRST_DATE, LAST_DATE = dt.date(2000, 1, 1), dt.date(2199, 12, 31)
EXCEPTION_KEYS = ("date", "from", "to", "closed", "hours", "note", "note_en")

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

#: An exception read from the document, with the path it came from.
Located = tuple[DateException, str]


def parse_exceptions(
    raw: object, path: str, problems: Problems, room: int = MAX_EXCEPTIONS
) -> list[Located]:
    """The exceptions of one list; `room`: how many it may hold (shared ones count for every
    channel, so a channel's own list has room for fewer)."""
    if not isinstance(raw, list):
        problems.add(path, Code.EXCEPTIONS_NOT_A_LIST)
        return []
    if len(raw) > room:
        problems.add(path, Code.TOO_MANY_EXCEPTIONS, count=MAX_EXCEPTIONS)
        return []
    located = []
    for index, item in enumerate(raw):
        exception = _parse_exception(item, f"{path}[{index}]", problems)
        if exception is not None:
            located.append((exception, f"{path}[{index}]"))
    return located


def _parse_exception(raw: object, path: str, problems: Problems) -> DateException | None:
    if not isinstance(raw, dict):
        problems.add(path, Code.EXCEPTION_NOT_AN_OBJECT)
        return None
    before = len(problems.items)
    problems.check_keys(raw, path, EXCEPTION_KEYS, ())
    first, last = _parse_dates(raw, path, problems)
    intervals = _parse_opening(raw, path, first is not None and first != last, problems)
    note = _parse_note(raw, "note", path, problems)
    note_en = _parse_note(raw, "note_en", path, problems)
    if len(problems.items) > before or first is None or last is None:
        return None
    return DateException(first, last, intervals, note, note_en)


def _parse_note(raw: Mapping[object, object], key: str, path: str, problems: Problems) -> str:
    note = raw.get(key, "")
    if not isinstance(note, str):
        problems.add(child_path(path, key), Code.NOTE_NOT_TEXT)
        return ""
    if len(note) > MAX_NOTE_LENGTH:
        problems.add(child_path(path, key), Code.NOTE_TOO_LONG, count=MAX_NOTE_LENGTH)
    return note


def _parse_date(raw: object, path: str, problems: Problems) -> dt.date | None:
    if not isinstance(raw, str) or not _DATE.fullmatch(raw):
        problems.add(path, Code.DATE_FORMAT)
        return None
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        problems.add(path, Code.NO_SUCH_DATE)
        return None
    if not FIRST_DATE <= value <= LAST_DATE:
        problems.add(
            path,
            Code.DATE_OUT_OF_RANGE,
            first=FIRST_DATE.isoformat(),
            last=LAST_DATE.isoformat(),
        )
        return None
    return value


def _parse_dates(
    raw: Mapping[object, object], path: str, problems: Problems
) -> tuple[dt.date | None, dt.date | None]:
    if "date" in raw:
        if "from" in raw or "to" in raw:
            problems.add(path, Code.DATE_AND_RANGE)
        day = _parse_date(raw["date"], child_path(path, "date"), problems)
        return day, day
    if "from" not in raw and "to" not in raw:
        problems.add(child_path(path, "date"), Code.DATE_REQUIRED)
        return None, None
    first = last = None
    if "from" in raw:
        first = _parse_date(raw["from"], child_path(path, "from"), problems)
    else:
        problems.add(child_path(path, "from"), Code.FROM_REQUIRED)
    if "to" in raw:
        last = _parse_date(raw["to"], child_path(path, "to"), problems)
    else:
        problems.add(child_path(path, "to"), Code.TO_REQUIRED)
    if first is not None and last is not None:
        if last < first:
            problems.add(child_path(path, "to"), Code.TO_BEFORE_FROM)
        elif (last - first).days + 1 > MAX_EXCEPTION_DAYS:
            problems.add(child_path(path, "to"), Code.RANGE_TOO_LONG, days=MAX_EXCEPTION_DAYS)
    return first, last


def _parse_opening(
    raw: Mapping[object, object], path: str, several_days: bool, problems: Problems
) -> tuple[Interval, ...] | None:
    """``None`` for ``closed: true``, else the exception's hours."""
    if "closed" in raw and "hours" in raw:
        problems.add(path, Code.CLOSED_AND_HOURS)
        return None
    if "closed" in raw:
        if raw["closed"] is not True:
            problems.add(child_path(path, "closed"), Code.CLOSED_NOT_TRUE)
        return None
    if "hours" not in raw:
        problems.add(path, Code.CLOSED_OR_HOURS)
        return None
    hours_path = child_path(path, "hours")
    parsed = parse_intervals(raw["hours"], hours_path, problems)
    if raw["hours"] == []:
        problems.add(hours_path, Code.HOURS_EMPTY)
    if several_days:  # the same hours apply on consecutive days
        report_spill(parsed, parsed, problems, day=None)
    return tuple(interval for interval, _ in parsed)


def report_overlaps(own: list[Located], shared: list[Located], problems: Problems) -> None:
    """Report exceptions that share a date, blaming the later one (or the channel's own one
    when it overlaps a shared one; overlaps among shared ones are reported once, not per
    channel)."""
    owned = {id(exception) for exception, _ in own}
    entries = sorted([*own, *shared], key=lambda item: (item[0].first, item[0].last))
    latest: Located | None = None
    for entry in entries:
        if latest is not None and entry[0].first <= latest[0].last:
            if id(entry[0]) in owned:
                problems.add(entry[1], Code.OVERLAPS_EXCEPTION, other=latest[1])
            elif id(latest[0]) in owned:
                problems.add(latest[1], Code.OVERLAPS_EXCEPTION, other=entry[1])
        if latest is None or entry[0].last > latest[0].last:
            latest = entry


def dump_exception(exception: DateException) -> dict[str, object]:
    """The JSON of one exception; ``parse_exceptions`` reads it back as an equal one."""
    result: dict[str, object]
    if exception.first == exception.last:
        result = {"date": exception.first.isoformat()}
    else:
        result = {"from": exception.first.isoformat(), "to": exception.last.isoformat()}
    if exception.intervals is None:
        result["closed"] = True
    else:
        result["hours"] = [format_interval(interval) for interval in exception.intervals]
    result["note"] = exception.note
    result["note_en"] = exception.note_en
    return result
