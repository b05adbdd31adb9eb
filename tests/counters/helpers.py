"""Reading the counters back in tests, as {(metric, bucket): count} for today."""

from __future__ import annotations

from flask import Flask

from app.counters.store import totals
from app.counters.web import today
from app.db import db


def counted(app: Flask) -> dict[tuple[str, str], int]:
    with app.app_context():
        day = today()
        return {(c.metric.value, c.bucket): c.count for c in totals(db.session, day, day)}
