"""Opening hours in the database: one JSON document in the shape of the export file.

Keeping the export shape as the stored form means import, export, the staff editors and the
database all go through one validator (`parse_schedule`). `version` guards against lost updates:
a save names the version it started from and fails (`Stale`) if someone saved in between
(app/versioned.py). Plain SQLAlchemy: the caller passes its session; pages read the schedule
through the worker cache (`current_schedule` in app/content.py).
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.hours.engine import Schedule
from app.hours.schedule_json import dump_schedule, parse_schedule
from app.revision import Database
from app.schema import Base
from app.versioned import Audit, Change, Versioned

SCHEDULE_ID = 1


class HoursDocument(Base):
    __tablename__ = "hours_document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    to_confirm: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


ROWS = Versioned(HoursDocument, revision="hours", create=True)


def _row(session: Database) -> HoursDocument | None:
    return session.scalar(select(HoursDocument).where(HoursDocument.id == SCHEDULE_ID))


def load_schedule(session: Database) -> tuple[Schedule, int] | None:
    """The stored schedule and its version, straight from the database."""
    row = _row(session)
    if row is None:
        return None
    return parse_schedule(json.loads(row.document)), row.version


def save_schedule(
    session: Database,
    schedule: Schedule,
    expected_version: int | None,
    *,
    to_confirm: bool = False,
    audit: Audit | None = None,
) -> int:
    """Store `schedule` and commit; returns the new version. Raises Stale on a concurrent save.

    `expected_version` None replaces whatever is stored (`flask hours import`, the first seed);
    the save is still conditional on the version read here, so a save in between is not lost.
    """
    stored = load_schedule(session)
    if expected_version is None:
        expected_version = stored[1] if stored else 0
    change = Change(
        "hours changed",
        "hours",
        before=dump_schedule(stored[0]) if stored else None,
        after=dump_schedule(schedule),
    )
    values = {
        "document": json.dumps(dump_schedule(schedule), ensure_ascii=False),
        "to_confirm": to_confirm,
        "updated_at": clock.now(),
    }
    return ROWS.save(
        session, {"id": SCHEDULE_ID}, expected_version, values, change=change, audit=audit
    )


def is_to_confirm(session: Database) -> bool:
    row = _row(session)
    return bool(row and row.to_confirm)
