"""The versioned save: how every staff editor stores a change without losing someone else's.

Each edited row (the hours, the notice, a contact, the messages' answer-time line) has a
`version`. An editor shows the version it started from and saves with it; the save is one
conditional UPDATE ... WHERE version = expected, so of two staff members saving at once the
second is refused (`Stale`) and keeps what they typed, instead of silently overwriting the
first. The audit entry and the content revision bump are written in the same transaction, so
a change is never stored without its entry, nor an entry without its change.

Plain SQLAlchemy (the caller passes its session) and no Flask: the audit entry comes through a
callback, because who is acting is known only to the web layer (app/staff/audit.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from app.revision import Database, bump_revision
from app.schema import Base


class Stale(Exception):
    """Someone else saved after this edit started (or the version sent is not one we gave)."""


@dataclass(frozen=True)
class Change:
    """What the audit trail says about a save: the action, its target, before and after."""

    action: str
    target: str
    before: Any
    after: Any


Audit = Callable[[Change], None]


@dataclass(frozen=True)
class Versioned:
    """A table whose rows staff edit with the versioned save, declared once by its store.

    `revision` names the content the page cache reloads after a save (None: no page caches
    it); with `create`, version 0 means "no row yet" (a single-row table never saved before).
    """

    model: type[Base]
    revision: str | None = None
    create: bool = False

    def save(  # noqa: PLR0913 (each argument is one part of the one mechanism)
        self,
        session: Database,
        key: Mapping[str, Any],
        expected_version: int,
        values: Mapping[str, Any],
        *,
        change: Change,
        audit: Audit | None = None,
    ) -> int:
        """Store `values` in the row `key` if its version is still `expected_version`, with the
        audit entry (`audit(change)`) and the revision bump; commit; return the new version.
        Raises Stale, with everything of this transaction rolled back, otherwise.

        Of two first saves of a `create` table at once, the second collides on the key (Stale).
        """
        columns = self.model.__table__.c
        try:
            if self.create and expected_version == 0:
                with session.begin_nested():
                    session.add(self.model(**key, **values, version=1))
            else:
                result = session.execute(
                    update(self.model)
                    .where(*(columns[name] == value for name, value in key.items()))
                    .where(columns["version"] == expected_version)
                    .values(version=expected_version + 1, **values)
                )
                if result.rowcount != 1:  # type: ignore[attr-defined]
                    raise Stale
        except (IntegrityError, Stale):
            session.rollback()
            raise Stale from None
        if audit is not None:
            audit(change)
        if self.revision is not None:
            bump_revision(session, self.revision)
        session.commit()
        return expected_version + 1
