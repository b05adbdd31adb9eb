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
  ``FieldError`` (``app/hours/errors.py``): a path such as ``channels.chat.weekly.tue[1]`` (``""``
  is the document), a code and its parameters, which the CLI words in English and the staff pages
  through gettext.

This module reads the document and its channels and weekly hours; the exceptions are read in
``app/hours/exceptions_json.py``, the opening times in ``app/hours/intervals_json.py``.
"""

import re

from app.hours.errors import Code, FieldError, Problems, ScheduleError, child_path
from app.hours.exceptions_json import (
    MAX_EXCEPTIONS,
    Located,
    dump_exception,
    parse_exceptions,
    report_overlaps,
)
from app.hours.intervals_json import format_interval, parse_intervals, report_spill
from app.hours.model import Channel, HolidayPolicy, Interval, Schedule, zone_for

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CHANNEL_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
# A helpline has a handful of channels (phone, chat, maybe mail or a second line): 10 leaves room.
MAX_CHANNELS = 10

_HOLIDAY_POLICIES: tuple[HolidayPolicy, ...] = ("closed", "normal")


def parse_schedule(data: object) -> Schedule:
    """Validate a JSON document and build the ``Schedule``; raises ``ScheduleError``."""
    problems = Problems()
    if not isinstance(data, dict):
        raise ScheduleError([FieldError("", Code.NOT_A_DOCUMENT)])
    problems.check_keys(data, "", ("timezone", "exceptions", "channels"), ("timezone", "channels"))
    timezone = data.get("timezone")
    if "timezone" in data and not _is_zone(timezone):
        problems.add("timezone", Code.UNKNOWN_ZONE)
    shared = parse_exceptions(data.get("exceptions", []), "exceptions", problems)
    report_overlaps(shared, [], problems)
    channels: dict[str, Channel] = {}
    raw_channels = data.get("channels", {})
    if not isinstance(raw_channels, dict):
        problems.add("channels", Code.CHANNELS_NOT_AN_OBJECT)
    elif "channels" in data and not raw_channels:
        problems.add("channels", Code.NO_CHANNELS)
    elif len(raw_channels) > MAX_CHANNELS:
        problems.add("channels", Code.TOO_MANY_CHANNELS, count=MAX_CHANNELS)
    else:
        for name, raw in raw_channels.items():
            path = child_path("channels", name)
            if not isinstance(name, str) or not CHANNEL_NAME.fullmatch(name):
                problems.add(path, Code.BAD_CHANNEL_NAME)
            channel = _parse_channel(raw, path, shared, problems)
            if channel is not None and isinstance(name, str):
                channels[name] = channel
    if problems.items or not isinstance(timezone, str):
        raise ScheduleError(problems.items)
    try:
        return Schedule(timezone, channels)
    except ValueError as error:  # the checks above should make this unreachable
        raise ScheduleError([FieldError("", Code.INCONSISTENT, {"detail": str(error)})]) from error


def _is_zone(value: object) -> bool:
    try:
        zone_for(value)  # type: ignore[arg-type]  # zone_for also rejects non-strings
    except ValueError:
        return False
    return True


def _parse_channel(
    raw: object, path: str, shared: list[Located], problems: Problems
) -> Channel | None:
    if not isinstance(raw, dict):
        problems.add(path, Code.CHANNEL_NOT_AN_OBJECT)
        return None
    problems.check_keys(raw, path, ("weekly", "holidays", "exceptions"), ("weekly", "holidays"))
    weekly = _parse_weekly(raw.get("weekly", {}), child_path(path, "weekly"), problems)
    policy = _holiday_policy(raw.get("holidays", "normal"))
    if policy is None:
        problems.add(child_path(path, "holidays"), Code.BAD_HOLIDAY_POLICY)
    own = parse_exceptions(
        raw.get("exceptions", []),
        child_path(path, "exceptions"),
        problems,
        room=MAX_EXCEPTIONS - len(shared),
    )
    report_overlaps(own, shared, problems)
    if problems.items or policy is None:  # nothing will be built anyway
        return None
    exceptions = tuple(exception for exception, _ in [*shared, *own])
    return Channel(weekly=weekly, exceptions=exceptions, holidays=policy)


def _holiday_policy(value: object) -> HolidayPolicy | None:
    for policy in _HOLIDAY_POLICIES:
        if value == policy:
            return policy
    return None


def _parse_weekly(raw: object, path: str, problems: Problems) -> dict[int, tuple[Interval, ...]]:
    if not isinstance(raw, dict):
        problems.add(path, Code.WEEKLY_NOT_AN_OBJECT)
        return {}
    by_day: dict[int, list[tuple[Interval, str]]] = {}
    for key, value in raw.items():
        if key not in WEEKDAYS:
            problems.add(child_path(path, key), Code.UNKNOWN_WEEKDAY, weekdays=", ".join(WEEKDAYS))
            continue
        by_day[WEEKDAYS.index(key)] = parse_intervals(value, child_path(path, key), problems)
    for day in range(7):
        previous_day = (day - 1) % 7
        report_spill(
            by_day.get(previous_day, []), by_day.get(day, []), problems, WEEKDAYS[previous_day]
        )
    return {day: tuple(i for i, _ in items) for day, items in by_day.items()}


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
                "exceptions": [dump_exception(e) for e in channel.exceptions],
            }
            for name, channel in schedule.channels.items()
        },
    }
