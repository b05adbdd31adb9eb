"""The counters table: exact sums under concurrency, and a schema that cannot hold a record."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from flask import Flask
from sqlalchemy import Date, Integer, String, inspect
from sqlalchemy.exc import IntegrityError

from app.counters.metrics import (
    BUCKETS,
    All,
    Metric,
    UnknownCounter,
    Wait,
    answer_days_bucket,
    length_bucket,
    wait_bucket,
)
from app.counters.store import BUCKET_NAMES, DailyCounter, increment, local_day, totals
from app.db import db

DAY = dt.date(2026, 3, 3)
THREADS = 8
EACH = 25


def test_parallel_increments_from_threads_give_the_exact_sum(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        start = threading.Barrier(THREADS)
        failures: list[BaseException] = []

        def add() -> None:
            try:
                start.wait()
                for _ in range(EACH):
                    with engine.begin() as connection:
                        increment(connection, DAY, Metric.CHAT_STARTED, All.ALL)
            except BaseException as error:  # noqa: BLE001 - reported by the main thread
                failures.append(error)

        workers = [threading.Thread(target=add) for _ in range(THREADS)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert failures == []
        counted = totals(db.session, DAY, DAY)
        assert [(c.metric, c.bucket, c.count) for c in counted] == [
            (Metric.CHAT_STARTED, "all", THREADS * EACH)
        ]


def test_increments_add_up_per_day_metric_and_bucket(app: Flask) -> None:
    with app.app_context():
        increment(db.session, DAY, Metric.CHAT_GAVE_UP, Wait.UNDER_2)
        increment(db.session, DAY, Metric.CHAT_GAVE_UP, Wait.UNDER_2, by=2)
        increment(db.session, DAY, Metric.CHAT_GAVE_UP, Wait.OVER_15)
        increment(db.session, DAY + dt.timedelta(days=1), Metric.CHAT_GAVE_UP, Wait.UNDER_2)
        db.session.commit()
        counted = {(c.day, c.bucket): c.count for c in totals(db.session, DAY, DAY)}
        assert counted == {(DAY, "under_2_min"): 3, (DAY, "over_15_min"): 1}
        assert len(totals(db.session, DAY, DAY + dt.timedelta(days=1))) == 3


@pytest.mark.parametrize(
    ("metric", "bucket"),
    [
        ("page_view", "all"),  # not a metric
        (Metric.CHAT_GAVE_UP, "all"),  # a metric, but not one of its buckets
        (Metric.CHAT_STARTED, "under_2_min"),  # a bucket of another metric
        (Metric.MESSAGE_LEFT, "Amsterdam"),  # free text
    ],
)
def test_a_name_not_in_the_enumerations_is_refused_before_writing(
    app: Flask, metric: str, bucket: str
) -> None:
    with app.app_context():
        with pytest.raises(UnknownCounter):
            increment(db.session, DAY, metric, bucket)
        assert totals(db.session, DAY, DAY) == []


def test_the_database_itself_refuses_a_metric_or_bucket_not_listed(app: Flask) -> None:
    with app.app_context():
        for metric, bucket in (("page_view", "all"), ("chat_started", "free text")):
            with pytest.raises(IntegrityError), db.engine.begin() as connection:
                connection.execute(
                    DailyCounter.__table__.insert().values(
                        day=DAY, metric=metric, bucket=bucket, count=1
                    )
                )


def test_the_table_has_no_column_for_a_time_or_free_text(app: Flask) -> None:
    """Only a DATE, an INTEGER and short strings the enumerations constrain: a row can say
    how many, and on which day, and nothing more."""
    with app.app_context():
        columns = {c["name"]: c for c in inspect(db.engine).get_columns("daily_counter")}
        checks = inspect(db.engine).get_check_constraints("daily_counter")
    assert set(columns) == {"day", "metric", "bucket", "count"}
    assert isinstance(columns["day"]["type"], Date)
    assert not isinstance(columns["day"]["type"], String)
    assert isinstance(columns["count"]["type"], Integer)
    listed = {"metric": [m.value for m in Metric], "bucket": BUCKET_NAMES}
    for name, values in listed.items():
        kind = columns[name]["type"]
        assert isinstance(kind, String)
        assert kind.length is not None
        assert kind.length <= 32
        # PostgreSQL shows the check as "= ANY (ARRAY[...])", SQLite as "IN (...)".
        assert any(
            name in check["sqltext"] and all(f"'{value}'" in check["sqltext"] for value in values)
            for check in checks
        )
    # The model says the same as the database the migrations built.
    model = {c.name: type(c.type).__name__ for c in DailyCounter.__table__.columns}
    assert model == {"day": "Date", "metric": "Enum", "bucket": "String", "count": "Integer"}


def test_every_bucket_fits_the_column_and_every_metric_has_buckets() -> None:
    assert set(BUCKETS) == set(Metric)
    assert all(len(b.value) <= 32 for enum in BUCKETS.values() for b in enum)


def test_the_day_is_the_helplines_local_date_not_utc() -> None:
    late_evening_utc = dt.datetime(2026, 3, 3, 23, 30, tzinfo=dt.UTC)
    assert local_day(late_evening_utc, "Europe/Amsterdam") == dt.date(2026, 3, 4)


@pytest.mark.parametrize(
    ("minutes", "bucket"),
    [(0, "under_2_min"), (1.99, "under_2_min"), (2, "2_to_5_min"), (14.9, "5_to_15_min")]
    + [(15, "over_15_min"), (300, "over_15_min")],
)
def test_a_wait_falls_in_the_bucket_its_minutes_say(minutes: float, bucket: str) -> None:
    assert wait_bucket(minutes * 60) == bucket


def test_lengths_and_days_to_answer_fall_in_their_buckets() -> None:
    assert [length_bucket(m * 60) for m in (4, 5, 29, 30)] == [
        "under_5_min",
        "5_to_15_min",
        "15_to_30_min",
        "over_30_min",
    ]
    assert [answer_days_bucket(d) for d in (0, 1, 2, 3, 4)] == [
        "0_days",
        "1_day",
        "2_to_3_days",
        "2_to_3_days",
        "over_3_days",
    ]
