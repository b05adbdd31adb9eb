"""Opening hours in the database: one JSON document in the shape of the export file.

Keeping the export shape as the stored form means import, export, the staff editors and the
database all go through one validator (`parse_schedule`). `version` guards against lost updates:
a save names the version it started from and fails if someone saved in between.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.content_cache import bump_revision, cached
from app.db import db
from app.hours.engine import Schedule
from app.hours.schedule_json import dump_schedule, parse_schedule

SCHEDULE_ID = 1


class HoursDocument(db.Model):  # type: ignore[name-defined]
    __tablename__ = "hours_document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    to_confirm: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StaleVersion(Exception):
    """Someone else saved the hours after this edit started."""


def _row() -> HoursDocument | None:
    return db.session.scalar(select(HoursDocument).where(HoursDocument.id == SCHEDULE_ID))


def load_schedule() -> tuple[Schedule, int] | None:
    """The stored schedule and its version, straight from the database."""
    row = _row()
    if row is None:
        return None
    return parse_schedule(json.loads(row.document)), row.version


def current_schedule() -> Schedule | None:
    """The schedule for showing status, from the worker's cache (see app/content_cache.py)."""
    loaded = cached("hours", load_schedule)
    return loaded[0] if loaded else None


def save_schedule(
    schedule: Schedule, expected_version: int | None, *, to_confirm: bool = False
) -> int:
    """Store `schedule`; returns the new version. Raises StaleVersion on a concurrent save."""
    row = _row()
    now = clock.now()
    document = json.dumps(dump_schedule(schedule), ensure_ascii=False)
    if row is None:
        row = HoursDocument(id=SCHEDULE_ID, document=document, version=1, updated_at=now)
        row.to_confirm = to_confirm
        db.session.add(row)
    else:
        if expected_version is not None and expected_version != row.version:
            raise StaleVersion
        updated = db.session.execute(
            HoursDocument.__table__.update()
            .where(HoursDocument.id == SCHEDULE_ID, HoursDocument.version == row.version)
            .values(
                document=document, version=row.version + 1, to_confirm=to_confirm, updated_at=now
            )
        )
        if updated.rowcount != 1:  # type: ignore[attr-defined]
            db.session.rollback()
            raise StaleVersion
    bump_revision("hours")
    db.session.commit()
    db.session.expire_all()
    loaded = load_schedule()
    assert loaded is not None  # noqa: S101 (just written in this transaction's commit)
    return loaded[1]


def is_to_confirm() -> bool:
    row = _row()
    return bool(row and row.to_confirm)
