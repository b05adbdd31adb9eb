"""Counters summed per week or per month, for the staff figures page and its charts.

Pure: it takes the rows of store.totals and the day it is today. Weeks start on Monday (ISO),
as the helpline's rosters do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from app.counters.metrics import BUCKETS, Metric
from app.counters.store import Count

Period = Literal["week", "month"]
PERIODS: tuple[Period, ...] = ("week", "month")
SHOWN = {"week": 8, "month": 12}  # how many periods a table shows, the current one last


@dataclass(frozen=True)
class Table:
    period: Period
    starts: list[dt.date]  # the first day of each period, oldest first
    rows: dict[tuple[Metric, str], list[int]]  # (metric, bucket) -> one count per period

    @property
    def first_day(self) -> dt.date:
        return self.starts[0]

    def total(self, metric: Metric) -> list[int]:
        """A metric's counts per period, its buckets added up."""
        sums = [0] * len(self.starts)
        for (row_metric, _bucket), counts in self.rows.items():
            if row_metric == metric:
                sums = [a + b for a, b in zip(sums, counts, strict=True)]
        return sums


def period_start(day: dt.date, period: Period) -> dt.date:
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


def period_starts(today: dt.date, period: Period) -> list[dt.date]:
    """The first days of the last SHOWN[period] periods up to today's, oldest first."""
    starts = [period_start(today, period)]
    while len(starts) < SHOWN[period]:
        before = starts[-1] - dt.timedelta(days=1)
        starts.append(period_start(before, period))
    return starts[::-1]


def table(counts: list[Count], today: dt.date, period: Period) -> Table:
    """Every (metric, bucket) of metrics.py, summed per period; zeros where nothing happened,
    so the table always has the same rows."""
    starts = period_starts(today, period)
    index = {start: n for n, start in enumerate(starts)}
    rows = {
        (metric, bucket.value): [0] * len(starts) for metric in Metric for bucket in BUCKETS[metric]
    }
    for row in counts:
        column = index.get(period_start(row.day, period))
        if column is not None and (row.metric, row.bucket) in rows:
            rows[(row.metric, row.bucket)][column] += row.count
    return Table(period, starts, rows)


@dataclass(frozen=True)
class DayRow:
    metric: Metric
    total: int
    buckets: list[tuple[str, int]]  # the buckets counted, when the metric has a breakdown


def day_rows(counts: list[Count]) -> list[DayRow]:
    """One day's counters, one row per metric of metrics.py (zeros too, so the rows stay put),
    with the buckets that were counted: the compact table on the shift lead's board."""
    rows = []
    for metric in Metric:
        found = {row.bucket: row.count for row in counts if row.metric == metric}
        named = len(BUCKETS[metric]) > 1
        buckets = [(b.value, found[b.value]) for b in BUCKETS[metric] if found.get(b.value)]
        rows.append(DayRow(metric, sum(found.values()), buckets if named else []))
    return rows
