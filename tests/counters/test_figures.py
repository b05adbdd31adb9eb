"""The figures page and its charts: staff only, strict CSP, numbers that match the counters."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask

from app.counters.figures import period_starts, table
from app.counters.labels import BUCKETS as BUCKET_LABELS
from app.counters.labels import METRICS as METRIC_LABELS
from app.counters.metrics import BUCKETS, All, Metric, Wait
from app.counters.store import Count, increment
from app.counters.web import today
from app.db import db
from tests.staff.conftest import StaffLogin


def test_every_metric_and_bucket_has_a_label() -> None:
    assert set(METRIC_LABELS) == set(Metric)
    assert set(BUCKET_LABELS) == {b.value for enum in BUCKETS.values() for b in enum}


def test_a_table_sums_days_into_iso_weeks_and_months() -> None:
    wednesday = dt.date(2026, 3, 4)
    counts = [
        Count(dt.date(2026, 3, 2), Metric.CHAT_STARTED, "all", 2),  # Monday: this week
        Count(dt.date(2026, 3, 1), Metric.CHAT_STARTED, "all", 3),  # Sunday: last week
        Count(dt.date(2026, 2, 28), Metric.CHAT_STARTED, "all", 4),
        Count(dt.date(2025, 1, 1), Metric.CHAT_STARTED, "all", 99),  # too old to show
    ]
    weeks = table(counts, wednesday, "week")
    assert weeks.starts[-2:] == [dt.date(2026, 2, 23), dt.date(2026, 3, 2)]
    assert weeks.rows[(Metric.CHAT_STARTED, "all")][-2:] == [7, 2]
    months = table(counts, wednesday, "month")
    assert months.starts[-2:] == [dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    assert months.rows[(Metric.CHAT_STARTED, "all")][-2:] == [4, 5]
    assert sum(months.total(Metric.CHAT_STARTED)) == 9
    assert len(period_starts(wednesday, "month")) == 12
    assert period_starts(wednesday, "month")[0] == dt.date(2025, 4, 1)


def add_counts(app: Flask) -> None:
    with app.app_context():
        increment(db.session, today(), Metric.CHAT_REQUESTED, All.ALL, by=17)
        increment(db.session, today(), Metric.CHAT_GAVE_UP, Wait.OVER_15, by=3)
        db.session.commit()


def test_the_figures_page_shows_the_counters_per_week_and_month(
    app: Flask, staff: StaffLogin, staff_member: object
) -> None:
    add_counts(app)
    staff.login(staff_member)  # type: ignore[arg-type]
    for period in ("week", "month"):
        response = staff.client.get(f"/staff/figures?period={period}")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        rows = dict(re.findall(r'<th scope="row">([^<]+)</th>\s*((?:<td>\d+</td>)+)', page))
        assert len(rows) == sum(len(enum) for enum in BUCKETS.values())
        cells = {label: re.findall(r"<td>(\d+)</td>", tds)[-1] for label, tds in rows.items()}
        assert sum(int(n) for n in cells.values()) == 20
        assert "<script" not in page
        assert "style=" not in page
        assert f'src="/staff/figures/chats.svg?period={period}"' in page


def test_a_chart_is_an_svg_without_script_under_a_strict_policy(
    app: Flask, staff: StaffLogin, staff_member: object
) -> None:
    add_counts(app)
    staff.login(staff_member)  # type: ignore[arg-type]
    response = staff.client.get("/staff/figures/chats.svg?period=month")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert svg.startswith("<svg")
    assert "<script" not in svg
    assert "http://www.w3.org/2000/svg" in svg
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'none'" in policy
    assert "style-src 'unsafe-inline'" in policy
    page_policy = staff.client.get("/staff/figures").headers["Content-Security-Policy"]
    assert "unsafe-inline" not in page_policy
    assert staff.client.get("/staff/figures/nothing.svg").status_code == 404


def test_figures_and_charts_are_for_logged_in_staff_only(app: Flask) -> None:
    add_counts(app)
    anonymous = app.test_client()
    for url in ("/staff/figures", "/staff/figures/chats.svg"):
        response = anonymous.get(url)
        assert response.status_code == 302
        assert "/staff/login" in response.headers["Location"]
