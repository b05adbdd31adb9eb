"""`flask stats export`: the counters as CSV, and a shareable form with small numbers hidden."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from app.counters.metrics import All, Metric, Refusal
from app.counters.store import increment
from app.counters.web import shareable
from app.db import db

MONDAY = dt.date(2026, 3, 2)


@pytest.fixture
def counted_days(app: Flask) -> None:
    with app.app_context():
        increment(db.session, MONDAY, Metric.CHAT_STARTED, All.ALL, by=12)
        increment(db.session, MONDAY, Metric.CHAT_TURNED_AWAY, Refusal.CLOSED, by=3)
        increment(db.session, MONDAY + dt.timedelta(days=1), Metric.CHAT_STARTED, All.ALL, by=8)
        increment(db.session, MONDAY + dt.timedelta(days=9), Metric.CHAT_STARTED, All.ALL)
        db.session.commit()


@pytest.mark.usefixtures("counted_days")
def test_export_writes_every_counter_of_the_days_asked(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["stats", "export", "--from", "2026-03-02", "--to", "2026-03-03"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "day,metric,bucket,count",
        "2026-03-02,chat_started,all,12",
        "2026-03-02,chat_turned_away,closed,3",
        "2026-03-03,chat_started,all,8",
    ]


@pytest.mark.usefixtures("counted_days")
def test_the_shareable_export_rounds_to_5_and_hides_small_numbers(
    runner: FlaskCliRunner,
) -> None:
    args = ["stats", "export", "--from", "2026-03-02", "--to", "2026-03-11", "--shareable"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "day,metric,bucket,count",
        "2026-03-02,chat_started,all,10",
        "2026-03-02,chat_turned_away,closed,< 5",
        "2026-03-03,chat_started,all,10",
        "2026-03-11,chat_started,all,< 5",
    ]


@pytest.mark.parametrize(
    ("number", "shown"),
    [(1, "< 5"), (4, "< 5"), (5, "5"), (7, "5"), (8, "10"), (12, "10"), (13, "15"), (100, "100")],
)
def test_shareable_numbers(number: int, shown: str) -> None:
    assert shareable(number) == shown


@pytest.mark.parametrize(
    "args",
    [
        ["--from", "2026-03-05", "--to", "2026-03-02"],
        ["--from", "yesterday", "--to", "2026-03-02"],
        ["--from", "2026-03-02T10:00", "--to", "2026-03-02"],
    ],
)
def test_bad_days_get_a_clear_error(runner: FlaskCliRunner, args: list[str]) -> None:
    result = runner.invoke(args=["stats", "export", *args])
    assert result.exit_code == 2
    assert "Error" in result.output
    assert "Traceback" not in result.output
