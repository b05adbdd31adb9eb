"""Fuzzing the opening-hours import: `parse_schedule` on plausible documents, and the CLI on
any bytes at all.

tests/hours/test_schedule_json.py throws junk at `parse_schedule`; this file builds documents
that look right (real weekdays, clock times, dates, notes) so the deeper checks run: overlaps,
intervals past midnight, exceptions. Either the document is refused with field errors, or the
schedule it gives survives a dump and parse unchanged and answers a status at any instant.
The CLI must answer every file with a message and exit code 0 or 1, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st

from app.hours.engine import status_json
from app.hours.errors import ScheduleError, english
from app.hours.schedule_json import WEEKDAYS, dump_schedule, parse_schedule
from tests.fuzz.conftest import FUZZ_SETTINGS

clock = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 24), st.sampled_from([0, 30, 59]))
interval = st.builds(lambda a, b: f"{a}-{b}", clock, clock) | st.sampled_from(
    ["9-17", "25:00-26:00"]
)
day = st.dates(dt.date(1999, 12, 25), dt.date(2027, 1, 5)).map(dt.date.isoformat)
note = st.text(max_size=20) | st.just("x" * 201)
exception = st.fixed_dictionaries(
    {"note": note},
    optional={
        "date": day,
        "from": day,
        "to": day,
        "closed": st.booleans(),
        "hours": st.lists(interval, max_size=3),
    },
)
channel = st.fixed_dictionaries(
    {
        "weekly": st.dictionaries(
            st.sampled_from(WEEKDAYS), st.lists(interval, max_size=3), max_size=7
        ),
        "holidays": st.sampled_from(["closed", "normal", "sometimes"]),
    },
    optional={"exceptions": st.lists(exception, max_size=3)},
)
document = st.fixed_dictionaries(
    {
        "timezone": st.sampled_from(["Europe/Amsterdam", "UTC", "America/St_Johns", "Mars/Base"]),
        "channels": st.dictionaries(
            st.sampled_from(["phone", "chat", "Chat!", "x" * 40]), channel, max_size=3
        ),
    },
    optional={"exceptions": st.lists(exception, max_size=2)},
)
instant = st.datetimes(
    dt.datetime(2000, 1, 2), dt.datetime(2198, 12, 30), timezones=st.just(dt.UTC)
)


@settings(**FUZZ_SETTINGS)
@given(document, instant)
def test_plausible_documents_parse_round_trip_and_answer(data: dict, at: dt.datetime) -> None:
    try:
        schedule = parse_schedule(data)
    except ScheduleError as error:
        problems = error.errors
    else:
        problems = []
    if problems:
        assert all(english(problem) for problem in problems)
        return
    assert parse_schedule(json.loads(json.dumps(dump_schedule(schedule)))) == schedule
    status = status_json(schedule, at)
    assert set(status["channels"]) == set(schedule.channels)


@pytest.fixture(scope="module")
def import_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("import") / "hours.json"


file_content = (
    st.binary(max_size=300)
    | document.map(lambda d: json.dumps(d).encode())
    | st.sampled_from([b"", b"null", b"[]", b"{}", b"\xef\xbb\xbf{}", b"{" * 5000, b'"\\ud800"'])
)


@settings(**{**FUZZ_SETTINGS, "max_examples": 80})
@given(file_content)
def test_the_import_command_answers_every_file(
    site: Flask, import_file: Path, content: bytes
) -> None:
    import_file.write_bytes(content)
    result = site.test_cli_runner().invoke(args=["hours", "import", str(import_file)])
    # ClickException exits 1 with "Error: ..."; anything else would be a crash.
    assert result.exit_code in {0, 1}, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.output.strip()
