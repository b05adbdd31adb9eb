"""The audit trail: every staff change with who, what, when, and the value before and after."""

from __future__ import annotations

import json
from typing import Any

from app import clock
from app.db import db
from app.staff.auth import current_user
from app.staff.models import AuditEntry


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
