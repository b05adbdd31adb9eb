"""Opening hours as JSON (plain dicts) for export/import, with full validation.

Shape (see ``docs/opening-hours.md``)::

    {"timezone": "Europe/Amsterdam",
     "exceptions": [...],                       # optional: applies to every channel
     "channels": {
       "phone": {"weekly": {"mon": ["09:00-17:00", "19:00-22:00"], "tue": [], ...},
                 "holidays": "closed",          # or "normal"
                 "exceptions": [                # optional
                   {"date": "2026-12-24", "hours": ["09:00-13:00"],
                    "note": "Kerstavond", "note_en": "Christmas Eve"},
                   {"from": "2026-12-25", "to": "2026-12-26", "closed": true,
                    "note": "Kerst", "note_en": "Christmas"}]}}}

* ``weekly`` may leave out days (closed). An interval ending at or before its start runs into the
  next day (``22:00-02:00``); ``24:00`` is allowed as an end, so ``09:00-09:00`` lasts 24 hours.
* The optional top-level ``exceptions`` list is the "all channels" case: on import it is copied
  into every channel, and must not overlap a channel's own exceptions. Export always writes
  exceptions per channel, so a file using the top-level list exports in the per-channel form.
* ``note`` is the note for Dutch pages, ``note_en`` the one for English pages; both are optional
  and at most 200 characters. A file from before ``note_en`` existed (only ``note``) still
  imports: its note is the Dutch one, and English pages show their neutral "closed" until staff
  add an English note. Export always writes both keys.
* Sizes are bounded (``MAX_CHANNELS``, ``MAX_INTERVALS_PER_DAY``, ``MAX_EXCEPTIONS``): every
  channel is shown on the contact page and computed on every page view, so an upload with
  thousands of channels or intervals would make each page megabytes long and slow to render.
* ``parse_schedule`` checks everything before building anything and reports every problem as a
  ``FieldError`` with a path such as ``channels.chat.weekly.tue[1]`` (``""`` is the document).
"""

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from app.hours.engine import (
    MINUTES_PER_DAY,
    Channel,
    DateException,
    HolidayPolicy,
    Interval,
    Schedule,
    zone_for,
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CHANNEL_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
MAX_NOTE_LENGTH = 200
MAX_EXCEPTION_DAYS = 366
# A helpline has a handful of channels (phone, chat, maybe mail or a second line): 10 leaves room.
MAX_CHANNELS = 10
# Nobody splits a day into more than a few shifts; 10 covers any real day, also an exception's.
MAX_INTERVALS_PER_DAY = 10
# Per channel, its own and the shared ones together: a closing for every day of a year, plus some.
MAX_EXCEPTIONS = 400
FIRST_DATE, LAST_DATE = dt.date(2000, 1, 1), dt.date(2199, 12, 31)

_INTERVAL = re.compile(r"([0-9]{2}):([0-9]{2})-([0-9]{2}):([0-9]{2})")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_HOLIDAY_POLICIES: tuple[HolidayPolicy, ...] = ("closed", "normal")
EXCEPTION_KEYS = ("date", "from", "to", "closed", "hours", "note", "note_en")


@dataclass(frozen=True)
class FieldError:
    """One problem: ``path`` like ``channels.chat.weekly.tue[1]`` (``""``: the document)."""

    path: str
    message: str


class ScheduleError(ValueError):
    """The document is not a valid schedule; ``errors`` lists every problem found."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.path or '(document)'}: {e.message}" for e in errors))
        self.errors = errors


def format_interval(interval: Interval) -> str:
    """``Interval(1320, 1560)`` -> ``"22:00-02:00"``; an end at midnight is written ``24:00``
    when the interval starts on the same day."""
    end = interval.end if interval.end == MINUTES_PER_DAY else interval.end % MINUTES_PER_DAY
    return f"{_clock(interval.start)}-{_clock(end)}"


def _clock(minutes: int) -> str:
    return "{:02d}:{:02d}".format(*divmod(minutes, 60))


def parse_interval(text: str) -> Interval:
    """Parse ``"HH:MM-HH:MM"``; an end at or before the start is on the next day.

    Raises ``ValueError`` with a message fit to show to staff.
    """
    match = _INTERVAL.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError("use HH:MM-HH:MM, for example 09:00-17:00")
    start_hour, start_minute, end_hour, end_minute = (int(part) for part in match.groups())
    if start_hour > 23 or start_minute > 59 or end_minute > 59:  # noqa: PLR2004
        raise ValueError("hours are 00-23 and minutes 00-59 (24:00 only as an end)")
    if end_hour > 24 or (end_hour == 24 and end_minute != 0):  # noqa: PLR2004
        raise ValueError("hours are 00-23 and minutes 00-59 (24:00 only as an end)")
    start = start_hour * 60 + start_minute
    end = end_hour * 60 + end_minute
    if end <= start:
        end += MINUTES_PER_DAY
    return Interval(start, end)


class _Errors:
    def __init__(self) -> None:
        self.items: list[FieldError] = []

    def add(self, path: str, message: str) -> None:
        self.items.append(FieldError(path, message))


def _key(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _check_keys(
    data: Mapping[object, object],
    path: str,
    allowed: tuple[str, ...],
    required: tuple[str, ...],
    errors: _Errors,
) -> None:
    for key in data:
        if key not in allowed:
            errors.add(_key(path, key), f"unknown key; expected one of {', '.join(allowed)}")
    for key in required:
        if key not in data:
            errors.add(_key(path, key), "required")


def parse_schedule(data: object) -> Schedule:
    """Validate a JSON document and build the ``Schedule``; raises ``ScheduleError``."""
    errors = _Errors()
    if not isinstance(data, dict):
        raise ScheduleError([FieldError("", "expected a JSON object")])
    _check_keys(data, "", ("timezone", "exceptions", "channels"), ("timezone", "channels"), errors)
    timezone = data.get("timezone")
    if "timezone" in data and not _is_zone(timezone):
        errors.add("timezone", "unknown time zone; use a name like Europe/Amsterdam")
    shared = _parse_exceptions(data.get("exceptions", []), "exceptions", errors)
    _report_overlaps(shared, [], errors)
    channels: dict[str, Channel] = {}
    raw_channels = data.get("channels", {})
    if not isinstance(raw_channels, dict):
        errors.add("channels", "expected an object of channels")
    elif "channels" in data and not raw_channels:
        errors.add("channels", "at least one channel is required")
    elif len(raw_channels) > MAX_CHANNELS:
        errors.add("channels", f"at most {MAX_CHANNELS} channels")
    else:
        for name, raw in raw_channels.items():
            path = _key("channels", name)
            if not isinstance(name, str) or not CHANNEL_NAME.fullmatch(name):
                errors.add(path, "channel names are a-z, 0-9 and _, starting with a letter")
            channel = _parse_channel(raw, path, shared, errors)
            if channel is not None and isinstance(name, str):
                channels[name] = channel
    if errors.items or not isinstance(timezone, str):
        raise ScheduleError(errors.items)
    try:
        return Schedule(timezone, channels)
    except ValueError as error:  # the checks above should make this unreachable
        raise ScheduleError([FieldError("", str(error))]) from error


def _is_zone(value: object) -> bool:
    try:
        zone_for(value)  # type: ignore[arg-type]  # zone_for also rejects non-strings
    except ValueError:
        return False
    return True


_Located = tuple[DateException, str]


def _parse_channel(
    raw: object, path: str, shared: list[_Located], errors: _Errors
) -> Channel | None:
    if not isinstance(raw, dict):
        errors.add(path, "expected an object with weekly, holidays and exceptions")
        return None
    _check_keys(raw, path, ("weekly", "holidays", "exceptions"), ("weekly", "holidays"), errors)
    weekly = _parse_weekly(raw.get("weekly", {}), _key(path, "weekly"), errors)
    policy = _holiday_policy(raw.get("holidays", "normal"))
    if policy is None:
        errors.add(_key(path, "holidays"), 'expected "closed" or "normal"')
    own = _parse_exceptions(
        raw.get("exceptions", []),
        _key(path, "exceptions"),
        errors,
        room=MAX_EXCEPTIONS - len(shared),
    )
    _report_overlaps(own, shared, errors)
    if errors.items or policy is None:  # nothing will be built anyway
        return None
    exceptions = tuple(exception for exception, _ in [*shared, *own])
    return Channel(weekly=weekly, exceptions=exceptions, holidays=policy)


def _holiday_policy(value: object) -> HolidayPolicy | None:
    for policy in _HOLIDAY_POLICIES:
        if value == policy:
            return policy
    return None


def _parse_intervals(raw: object, path: str, errors: _Errors) -> list[tuple[Interval, str]]:
    """Intervals with their paths, sorted by start; reports overlaps within the list."""
    if not isinstance(raw, list):
        errors.add(path, 'expected a list like ["09:00-17:00"]')
        return []
    if len(raw) > MAX_INTERVALS_PER_DAY:
        errors.add(path, f"at most {MAX_INTERVALS_PER_DAY} intervals a day")
        return []
    parsed: list[tuple[Interval, str]] = []
    for index, text in enumerate(raw):
        item_path = f"{path}[{index}]"
        try:
            parsed.append((parse_interval(text), item_path))
        except ValueError as error:
            errors.add(item_path, str(error))
    parsed.sort()
    latest: tuple[Interval, str] | None = None
    for interval, item_path in parsed:
        if latest is not None and interval.start < latest[0].end:
            errors.add(item_path, f"overlaps {format_interval(latest[0])}")
        if latest is None or interval.end > latest[0].end:
            latest = (interval, item_path)
    return parsed


def _report_spill(
    previous: list[tuple[Interval, str]],
    following: list[tuple[Interval, str]],
    previous_name: str,
    errors: _Errors,
) -> None:
    """Report intervals of a day that start before the previous day's night shift ends."""
    spill = max((i.end - MINUTES_PER_DAY for i, _ in previous), default=0)
    for interval, path in following:
        if interval.start < spill:
            night = max(previous, key=lambda item: item[0].end)[0]
            errors.add(path, f"overlaps {previous_name} {format_interval(night)}")


def _parse_weekly(raw: object, path: str, errors: _Errors) -> dict[int, tuple[Interval, ...]]:
    if not isinstance(raw, dict):
        errors.add(path, "expected an object with keys mon ... sun")
        return {}
    by_day: dict[int, list[tuple[Interval, str]]] = {}
    for key, value in raw.items():
        if key not in WEEKDAYS:
            errors.add(_key(path, key), f"unknown weekday; use {', '.join(WEEKDAYS)}")
            continue
        by_day[WEEKDAYS.index(key)] = _parse_intervals(value, _key(path, key), errors)
    for day in range(7):
        previous_day = (day - 1) % 7
        _report_spill(
            by_day.get(previous_day, []), by_day.get(day, []), WEEKDAYS[previous_day], errors
        )
    return {day: tuple(i for i, _ in items) for day, items in by_day.items()}


def _parse_date(raw: object, path: str, errors: _Errors) -> dt.date | None:
    if not isinstance(raw, str) or not _DATE.fullmatch(raw):
        errors.add(path, "expected a date like 2026-12-24")
        return None
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        errors.add(path, "no such date")
        return None
    if not FIRST_DATE <= value <= LAST_DATE:
        errors.add(path, f"must be between {FIRST_DATE} and {LAST_DATE}")
        return None
    return value


def _parse_exceptions(
    raw: object, path: str, errors: _Errors, room: int = MAX_EXCEPTIONS
) -> list[_Located]:
    """The exceptions of one list; `room`: how many it may hold (shared ones count for every
    channel, so a channel's own list has room for fewer)."""
    if not isinstance(raw, list):
        errors.add(path, "expected a list of exceptions")
        return []
    if len(raw) > room:
        errors.add(path, f"at most {MAX_EXCEPTIONS} exceptions")
        return []
    located = []
    for index, item in enumerate(raw):
        exception = _parse_exception(item, f"{path}[{index}]", errors)
        if exception is not None:
            located.append((exception, f"{path}[{index}]"))
    return located


def _parse_exception(raw: object, path: str, errors: _Errors) -> DateException | None:
    if not isinstance(raw, dict):
        errors.add(
            path, "expected an object with date (or from and to), closed or hours, note, note_en"
        )
        return None
    before = len(errors.items)
    _check_keys(raw, path, EXCEPTION_KEYS, (), errors)
    first, last = _parse_dates(raw, path, errors)
    intervals = _parse_opening(raw, path, first is not None and first != last, errors)
    note = _parse_note(raw, "note", path, errors)
    note_en = _parse_note(raw, "note_en", path, errors)
    if len(errors.items) > before or first is None or last is None:
        return None
    return DateException(first, last, intervals, note, note_en)


def _parse_note(raw: Mapping[object, object], key: str, path: str, errors: _Errors) -> str:
    note = raw.get(key, "")
    if not isinstance(note, str):
        errors.add(_key(path, key), "expected text")
        return ""
    if len(note) > MAX_NOTE_LENGTH:
        errors.add(_key(path, key), f"at most {MAX_NOTE_LENGTH} characters")
    return note


def _parse_dates(
    raw: Mapping[object, object], path: str, errors: _Errors
) -> tuple[dt.date | None, dt.date | None]:
    if "date" in raw:
        if "from" in raw or "to" in raw:
            errors.add(path, "use either date or from/to, not both")
        day = _parse_date(raw["date"], _key(path, "date"), errors)
        return day, day
    if "from" not in raw and "to" not in raw:
        errors.add(_key(path, "date"), "required (or from and to)")
        return None, None
    first = last = None
    if "from" in raw:
        first = _parse_date(raw["from"], _key(path, "from"), errors)
    else:
        errors.add(_key(path, "from"), "required with to")
    if "to" in raw:
        last = _parse_date(raw["to"], _key(path, "to"), errors)
    else:
        errors.add(_key(path, "to"), "required with from")
    if first is not None and last is not None:
        if last < first:
            errors.add(_key(path, "to"), "is before from")
        elif (last - first).days + 1 > MAX_EXCEPTION_DAYS:
            errors.add(_key(path, "to"), f"a range covers at most {MAX_EXCEPTION_DAYS} days")
    return first, last


def _parse_opening(
    raw: Mapping[object, object], path: str, several_days: bool, errors: _Errors
) -> tuple[Interval, ...] | None:
    """``None`` for ``closed: true``, else the exception's hours."""
    if "closed" in raw and "hours" in raw:
        errors.add(path, "use either closed or hours, not both")
        return None
    if "closed" in raw:
        if raw["closed"] is not True:
            errors.add(_key(path, "closed"), "must be true (give hours to open instead)")
        return None
    if "hours" not in raw:
        errors.add(path, "give closed: true or hours")
        return None
    hours_path = _key(path, "hours")
    parsed = _parse_intervals(raw["hours"], hours_path, errors)
    if raw["hours"] == []:
        errors.add(hours_path, "must not be empty; use closed: true")
    if several_days:  # the same hours apply on consecutive days
        _report_spill(parsed, parsed, "the previous day's", errors)
    return tuple(interval for interval, _ in parsed)


def _report_overlaps(own: list[_Located], shared: list[_Located], errors: _Errors) -> None:
    """Report exceptions that share a date, blaming the later one (or the channel's own one
    when it overlaps a shared one; overlaps among shared ones are reported once, not per
    channel)."""
    owned = {id(exception) for exception, _ in own}
    entries = sorted([*own, *shared], key=lambda item: (item[0].first, item[0].last))
    latest: _Located | None = None
    for entry in entries:
        if latest is not None and entry[0].first <= latest[0].last:
            if id(entry[0]) in owned:
                errors.add(entry[1], f"overlaps {latest[1]}")
            elif id(latest[0]) in owned:
                errors.add(latest[1], f"overlaps {entry[1]}")
        if latest is None or entry[0].last > latest[0].last:
            latest = entry


def _dump_exception(exception: DateException) -> dict[str, object]:
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


def dump_schedule(schedule: Schedule) -> dict[str, object]:
    """The JSON document for ``schedule``; ``parse_schedule`` of it gives an equal schedule."""
    return {
        "timezone": schedule.timezone,
        "channels": {
            name: {
                "weekly": {
                    WEEKDAYS[day]: [format_interval(i) for i in channel.weekly[day]]
                    for day in range(7)
                },
                "holidays": channel.holidays,
                "exceptions": [_dump_exception(e) for e in channel.exceptions],
            }
            for name, channel in schedule.channels.items()
        },
    }
