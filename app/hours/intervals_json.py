"""Opening times as text (``"22:00-02:00"``) in the JSON document, and the lists of them.

Shared by the weekly hours (``app/hours/schedule_json.py``) and the exceptions' own hours
(``app/hours/exceptions_json.py``), so both are read and checked the same way.
"""

import re

from app.hours.errors import Code, Invalid, Problems
from app.hours.model import MINUTES_PER_DAY, Interval

# Nobody splits a day into more than a few shifts; 10 covers any real day, also an exception's.
MAX_INTERVALS_PER_DAY = 10

_INTERVAL = re.compile(r"([0-9]{2}):([0-9]{2})-([0-9]{2}):([0-9]{2})")

#: An interval read from the document, with the path it came from.
Located = tuple[Interval, str]


def format_interval(interval: Interval) -> str:
    """``Interval(1320, 1560)`` -> ``"22:00-02:00"``; an end at midnight is written ``24:00``
    when the interval starts on the same day."""
    end = interval.end if interval.end == MINUTES_PER_DAY else interval.end % MINUTES_PER_DAY
    return f"{_clock(interval.start)}-{_clock(end)}"


def _clock(minutes: int) -> str:
    return "{:02d}:{:02d}".format(*divmod(minutes, 60))


def parse_interval(text: str) -> Interval:
    """Parse ``"HH:MM-HH:MM"``; an end at or before the start is on the next day.

    Raises ``Invalid`` (a ``ValueError``) with the code of the problem.
    """
    match = _INTERVAL.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise Invalid(Code.INTERVAL_FORMAT)
    start_hour, start_minute, end_hour, end_minute = (int(part) for part in match.groups())
    if start_hour > 23 or start_minute > 59 or end_minute > 59:  # noqa: PLR2004
        raise Invalid(Code.INTERVAL_RANGE)
    if end_hour > 24 or (end_hour == 24 and end_minute != 0):  # noqa: PLR2004
        raise Invalid(Code.INTERVAL_RANGE)
    start = start_hour * 60 + start_minute
    end = end_hour * 60 + end_minute
    if end <= start:
        end += MINUTES_PER_DAY
    return Interval(start, end)


def parse_intervals(raw: object, path: str, problems: Problems) -> list[Located]:
    """Intervals with their paths, sorted by start; reports overlaps within the list."""
    if not isinstance(raw, list):
        problems.add(path, Code.INTERVALS_NOT_A_LIST)
        return []
    if len(raw) > MAX_INTERVALS_PER_DAY:
        problems.add(path, Code.TOO_MANY_INTERVALS, count=MAX_INTERVALS_PER_DAY)
        return []
    parsed: list[Located] = []
    for index, text in enumerate(raw):
        item_path = f"{path}[{index}]"
        try:
            parsed.append((parse_interval(text), item_path))
        except Invalid as error:
            problems.add(item_path, error.code, **error.params)
    parsed.sort()
    latest: Located | None = None
    for interval, item_path in parsed:
        if latest is not None and interval.start < latest[0].end:
            problems.add(item_path, Code.OVERLAPS_HOURS, hours=format_interval(latest[0]))
        if latest is None or interval.end > latest[0].end:
            latest = (interval, item_path)
    return parsed


def report_spill(
    previous: list[Located], following: list[Located], problems: Problems, day: str | None
) -> None:
    """Report intervals of a day that start before the previous day's night shift ends.

    ``day`` is the previous day's key (``"mon"``) in the weekly hours, ``None`` within one
    exception that covers several days (its hours follow themselves)."""
    spill = max((i.end - MINUTES_PER_DAY for i, _ in previous), default=0)
    for interval, path in following:
        if interval.start < spill:
            night = format_interval(max(previous, key=lambda item: item[0].end)[0])
            if day is None:
                problems.add(path, Code.OVERLAPS_PREVIOUS_DAY, hours=night)
            else:
                problems.add(path, Code.OVERLAPS_NIGHT, day=day, hours=night)
