"""The `revision` table: one number per kind of staff-edited content (hours, contacts, notice).

A save bumps its number in the save's own transaction, so the commit that stores a change also
tells every worker's content cache (app/content_cache.py) that its copy is out of date. Plain
SQLAlchemy, so the domain stores can bump without importing Flask.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, String, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, scoped_session

from app.schema import Base

Database = Session | scoped_session[Any]
BUMPED = "bumped revisions"  # key in `session.info`: what this transaction changed


class Revision(Base):
    __tablename__ = "revision"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, default=0)


def bump_revision(session: Database, key: str) -> None:
    """Mark `key` as changed, in the caller's transaction (commit makes it visible to all).

    The key is also noted in `session.info`, so the web layer can drop its own worker's copy
    when the transaction ends (the worker that saved sees its change at once).
    """
    result = session.execute(
        update(Revision).where(Revision.key == key).values(number=Revision.number + 1)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        session.add(Revision(key=key, number=1))
    session.info.setdefault(BUMPED, set()).add(key)


def read_revisions(session: Database) -> dict[str, int]:
    rows = session.execute(select(Revision.key, Revision.number))
    return {row.key: row.number for row in rows}
