"""Errors as data: every code the validator can report has an English wording (the CLI's), and
the parameters it is reported with are exactly the ones that wording uses."""

from __future__ import annotations

import re

import pytest

from app.hours.errors import ENGLISH, Code, FieldError, Invalid, ScheduleError, english
from app.hours.intervals_json import parse_interval
from app.hours.schedule_json import parse_schedule

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
#: A value for each parameter name, shaped like what the validator gives.
SAMPLES: dict[str, str | int] = {
    "allowed": "weekly, holidays, exceptions",
    "count": 10,
    "weekdays": "mon, tue, wed, thu, fri, sat, sun",
    "hours": "22:00-02:00",
    "day": "fri",
    "first": "2000-01-01",
    "last": "2199-12-31",
    "days": 366,
    "other": "channels.phone.exceptions[0]",
    "detail": "exceptions overlap",
}


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def sample(code: Code) -> FieldError:
    """An error with ``code`` and a sample value for each parameter its English wording uses."""
    return FieldError("x", code, {name: SAMPLES[name] for name in placeholders(ENGLISH[code])})


def test_every_code_has_an_english_wording() -> None:
    assert set(ENGLISH) == set(Code)


@pytest.mark.parametrize("code", list(Code))
def test_each_english_wording_fills_every_parameter(code: Code) -> None:
    text = english(sample(code))
    assert text
    assert "%(" not in text


def test_the_english_wording_is_the_one_the_cli_always_printed() -> None:
    error = FieldError("channels", Code.TOO_MANY_CHANNELS, {"count": 10})
    assert english(error) == "at most 10 channels"
    night = FieldError("x", Code.OVERLAPS_NIGHT, {"day": "fri", "hours": "22:00-03:00"})
    assert english(night) == "overlaps fri 22:00-03:00"


@pytest.mark.parametrize(
    "document",
    [
        [],
        {"timezone": "Mars/Base", "channels": {"Chat!": []}, "colour": 1},
        {
            "timezone": "Europe/Amsterdam",
            "channels": {
                "chat": {
                    "weekly": {"fri": ["22:00-03:00"], "sat": ["02:00-05:00", "04:00-06:00"]},
                    "holidays": "normal",
                    "exceptions": [
                        {"date": "2026-12-24", "closed": True},
                        {"from": "2026-12-20", "to": "2026-12-31", "hours": ["22:00-09:00"]},
                        {"from": "2025-01-01", "to": "2027-01-05", "closed": False},
                        {"date": "1999-12-31", "hours": [], "note": 3, "note_en": "x" * 201},
                    ],
                },
                "phone": {"weekly": {"mon": ["9-17", "25:00-26:00"], "xyz": []}},
            },
        },
    ],
)
def test_reported_errors_carry_exactly_the_parameters_of_their_wording(document: object) -> None:
    with pytest.raises(ScheduleError) as caught:
        parse_schedule(document)
    for error in caught.value.errors:
        assert set(error.params) == placeholders(ENGLISH[error.code]), error


def test_a_bad_interval_is_a_value_error_with_its_code_and_english_text() -> None:
    with pytest.raises(Invalid) as caught:
        parse_interval("25:00-26:00")
    assert caught.value.code is Code.INTERVAL_RANGE
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == "hours are 00-23 and minutes 00-59 (24:00 only as an end)"


def test_field_errors_are_frozen_values() -> None:
    one = FieldError("channels", Code.TOO_MANY_CHANNELS, {"count": 10})
    assert one == FieldError("channels", Code.TOO_MANY_CHANNELS, {"count": 10})
    assert len({one, FieldError("channels", Code.TOO_MANY_CHANNELS, {"count": 10})}) == 1
    with pytest.raises(TypeError):
        one.params["count"] = 11  # type: ignore[index]
