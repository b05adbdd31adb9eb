"""The audit trail: every staff change with who, what, when, and the value before and after."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.db import db
from app.schema import Base
from app.staff.auth import current_user
from app.versioned import Change


class AuditEntry(Base):
    """Who changed what, when, with the value before and after. Staff accountability only."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(120), default="")
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1)


def record(
    action: str,
    target: str = "",
    before: Any = None,
    after: Any = None,
    *,
    actor: str | None = None,
) -> None:
    """Add an entry to the caller's transaction (it is saved with the change it describes).

    `actor` names who acts when nobody is logged in yet (a login step).
    """
    user = current_user()
    db.session.add(
        AuditEntry(
            at=clock.now(),
            actor=actor or (user.username if user else "system"),
            action=action,
            target=target,
            before=_text(before),
            after=_text(after),
        )
    )


def record_change(change: Change) -> None:
    """The audit callback of a versioned save (app/versioned.py): the entry for a change,
    written by the logged-in staff member into the save's own transaction."""
    record(change.action, change.target, before=change.before, after=change.after)
