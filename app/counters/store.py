"""The daily counters: one table `daily_counter(day, metric, bucket, count)`, nothing else.

Why this shape (brief.md, promise 11; docs/privacy.md):
- a row is a number of events on one DAY, never an event: no identifier, no time of day, no
  free text can be stored. `day` is a DATE, `metric` and `bucket` are short strings the
  database itself constrains to the enumerations of metrics.py, `count` an integer;
- the day is the helpline's local date (HOURS_TIMEZONE), so "Tuesday" means what staff mean.

`increment` is one statement, INSERT ... ON CONFLICT (day, metric, bucket) DO UPDATE SET
count = count + excluded.count, on SQLite and PostgreSQL alike: several workers, or several
machines on one PostgreSQL, counting the same thing at once each add their one, and no count
is lost (tests/counters/test_store.py runs it from threads).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import CheckConstraint, Connection, Date, Enum, Integer, String, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column, scoped_session

from app.counters.metrics import BUCKETS, NAME_LENGTH, Metric, checked
from app.schema import Base

Database = Session | scoped_session[Any] | Connection
BUCKET_NAMES = sorted({bucket.value for enum in BUCKETS.values() for bucket in enum})


class DailyCounter(Base):
    __tablename__ = "daily_counter"
    __table_args__ = (
        CheckConstraint(
            "bucket IN (" + ", ".join(f"'{name}'" for name in BUCKET_NAMES) + ")",
            name="bucket",
        ),
        CheckConstraint("count >= 0", name="count"),
    )

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    metric: Mapped[str] = mapped_column(
        Enum(
            Metric,
            native_enum=False,
            create_constraint=True,
            length=NAME_LENGTH,
            name="metric",
            values_callable=lambda enum: [member.value for member in enum],
        ),
        primary_key=True,
    )
    bucket: Mapped[str] = mapped_column(String(NAME_LENGTH), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


@dataclass(frozen=True)
class Count:
    day: dt.date
    metric: Metric
    bucket: str
    count: int


def local_day(moment: dt.datetime, timezone: str) -> dt.date:
    """The helpline's date at `moment` (an aware time): the only time a counter keeps."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def increment(
    database: Database, day: dt.date, metric: Metric | str, bucket: str, by: int = 1
) -> None:
    """Add `by` to one counter in one atomic statement (UnknownCounter for a name not in
    metrics.py). The caller commits."""
    known, bucket_name = checked(metric, bucket)
    if by < 1:
        raise ValueError("a counter only goes up")
    dialect = _dialect(database)
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(DailyCounter).values(day=day, metric=known, bucket=bucket_name, count=by)
    database.execute(
        statement.on_conflict_do_update(
            index_elements=["day", "metric", "bucket"],
            set_={"count": DailyCounter.count + statement.excluded.count},
        )
    )


def _dialect(database: Database) -> str:
    if isinstance(database, Connection):
        return database.dialect.name
    return database.get_bind().dialect.name


def totals(database: Database, from_day: dt.date, to_day: dt.date) -> list[Count]:
    """Every counter from `from_day` to `to_day` (both included), by day, metric, bucket."""
    rows = database.execute(
        select(DailyCounter.day, DailyCounter.metric, DailyCounter.bucket, DailyCounter.count)
        .where(DailyCounter.day >= from_day, DailyCounter.day <= to_day)
        .order_by(DailyCounter.day, DailyCounter.metric, DailyCounter.bucket)
    )
    return [Count(day, Metric(metric), bucket, count) for day, metric, bucket, count in rows]
