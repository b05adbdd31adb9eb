"""The example document of docs/opening-hours.md and helpers to break it, for the JSON tests."""

import copy
from typing import Any

import pytest

from app.hours.errors import FieldError, ScheduleError, english
from app.hours.schedule_json import parse_schedule

# The example of hours.md, completed.
EXAMPLE: dict[str, Any] = {
    "timezone": "Europe/Amsterdam",
    "channels": {
        "phone": {
            "weekly": {"mon": ["09:00-17:00", "19:00-22:00"], "tue": [], "fri": ["22:00-02:00"]},
            "holidays": "closed",
            "exceptions": [
                {"date": "2026-12-24", "hours": ["09:00-13:00"], "note": "Kerstavond"},
                {"from": "2026-12-25", "to": "2026-12-26", "closed": True, "note": "Kerst"},
            ],
        },
        "chat": {"weekly": {"tue": ["19:00-21:00"]}, "holidays": "normal"},
    },
}


def broken(path: str, value: object) -> dict[str, Any]:
    """EXAMPLE with the value at a dotted path (list items as numbers) replaced or removed."""
    document = copy.deepcopy(EXAMPLE)
    *parents, last = path.split(".")
    target: Any = document
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    key: Any = int(last) if isinstance(target, list) else last
    if value is REMOVE:
        del target[key]
    else:
        target[key] = value
    return document


REMOVE = object()


def in_english(errors: list[FieldError]) -> list[tuple[str, str]]:
    """Each error's path and its English wording, as the CLI prints them."""
    return [(error.path, english(error)) for error in errors]


def error_paths(data: object) -> list[str]:
    with pytest.raises(ScheduleError) as caught:
        parse_schedule(data)
    assert caught.value.errors, "a ScheduleError must say what is wrong"
    return [error.path for error in caught.value.errors]


EXC = "channels.phone.exceptions"
