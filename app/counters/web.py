"""Counting from the web layer, and `flask stats export`.

`count` is called once where an event happens (a chat started, a message answered). It runs in
a transaction of its own after the caller's work is saved, and a failure (database down) is
logged by its type only and swallowed: a figure is never worth a broken page for someone
asking for help, nor an error message that quotes the statement's parameters.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from app import clock
from app.chat.store import Ended
from app.counters.metrics import All, EndedBy, Metric, length_bucket, wait_bucket
from app.counters.store import Count, increment, local_day, totals
from app.db import db

log = logging.getLogger(__name__)
SHAREABLE_STEP = 5  # shared figures are rounded to this, and smaller counts hidden (Tor Metrics)


def today() -> dt.date:
    """The helpline's date now: the only time a counter records."""
    return local_day(clock.now(), current_app.config["HOURS_TIMEZONE"])


def count(metric: Metric, bucket: str = All.ALL, by: int = 1) -> None:
    """Add to one of today's counters; never raises for a database failure."""
    try:
        with db.engine.begin() as connection:
            increment(connection, today(), metric, bucket, by)
    except SQLAlchemyError as error:
        # The type only: SQLAlchemy's message quotes the statement and its parameters.
        log.error("counter not saved (%s)", type(error).__name__)


GAVE_UP = ("visitor", "quick_exit", "dropped")  # a waiting chat the visitor ended or left


def count_chat_end(ended: Ended | None) -> None:
    """Count how a chat ended: given up while waiting (by how long the wait was), or an
    answered chat's end reason and length. None (the chat had already ended) counts nothing,
    so a chat two workers end at once is counted once."""
    if ended is None:
        return
    seconds = ended.ended - ended.created
    if ended.was_waiting:
        if ended.reason in GAVE_UP:
            count(Metric.CHAT_GAVE_UP, wait_bucket(seconds))
        return
    count(Metric.CHAT_ENDED, EndedBy(ended.reason))
    count(Metric.CHAT_LENGTH, length_bucket(seconds))


def shareable(number: int) -> str:
    """A count fit to publish: rounded to 5, and "< 5" below 5, so that a small number (one
    visitor on a quiet day) cannot be picked out of a published table."""
    if number < SHAREABLE_STEP:
        return f"< {SHAREABLE_STEP}"
    return str(SHAREABLE_STEP * int(number / SHAREABLE_STEP + 0.5))


def write_csv(rows: list[Count], out: object, *, share: bool) -> None:
    writer = csv.writer(out)  # type: ignore[arg-type]
    writer.writerow(["day", "metric", "bucket", "count"])
    for row in rows:
        number = shareable(row.count) if share else str(row.count)
        writer.writerow([row.day.isoformat(), row.metric.value, row.bucket, number])


stats_group = AppGroup("stats", help="The helpline's daily counters (docs/privacy.md).")


@stats_group.command("export")
@click.option("--from", "from_day", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "to_day", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--shareable", "share", is_flag=True, help='Round to 5 and show "< 5" below 5.')
def export_command(from_day: dt.datetime, to_day: dt.datetime, share: bool) -> None:
    """Write the counters from DAY to DAY (both included) as CSV: day, metric, bucket, count."""
    if to_day < from_day:
        raise click.BadParameter("--to is before --from", param_hint="--to")
    rows = totals(db.session, from_day.date(), to_day.date())
    write_csv(rows, sys.stdout, share=share)


def init_app(app: Flask) -> None:
    app.cli.add_command(stats_group)
