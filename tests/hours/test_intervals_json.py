"""Opening times as text: parsing, writing, and what is refused."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.hours.intervals_json import format_interval, parse_interval
from app.hours.model import Interval


@pytest.mark.parametrize(
    ("text", "interval"),
    [
        ("09:00-17:00", Interval(540, 1020)),
        ("22:00-02:00", Interval(1320, 1560)),
        ("00:00-24:00", Interval(0, 1440)),
        ("23:59-24:00", Interval(1439, 1440)),
        ("09:00-09:00", Interval(540, 1980)),  # end at or before start: next day, so 24 hours
        ("23:00-00:00", Interval(1380, 1440)),
    ],
)
def test_parse_interval(text: str, interval: Interval) -> None:
    assert parse_interval(text) == interval


@pytest.mark.parametrize(
    ("interval", "text"),
    [
        (Interval(540, 1020), "09:00-17:00"),
        (Interval(1320, 1560), "22:00-02:00"),
        (Interval(0, 1440), "00:00-24:00"),
        (Interval(60, 1440), "01:00-24:00"),
        (Interval(540, 1980), "09:00-09:00"),
        (Interval(5, 6), "00:05-00:06"),
    ],
)
def test_format_interval(interval: Interval, text: str) -> None:
    assert format_interval(interval) == text
    assert parse_interval(text) == interval


@pytest.mark.parametrize(
    "text",
    [
        "9:00-17:00",
        "09:00-17:60",
        "09:60-17:00",
        "24:00-02:00",
        "09:00-24:30",
        "09:00-25:00",
        "09:00 - 17:00",
        "09:00-17:00 ",
        "09:00\u201317:00",  # en dash
        "\u0660\u0669:00-17:00",  # Arabic-Indic digits
        "09.00-17.00",
        "",
        "09:00",
    ],
)
def test_parse_interval_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="HH:MM|hours are"):
        parse_interval(text)


@given(st.integers(0, 1439), st.integers(1, 1440))
def test_format_parse_round_trip(start: int, length: int) -> None:
    interval = Interval(start, start + length)
    assert parse_interval(format_interval(interval)) == interval
