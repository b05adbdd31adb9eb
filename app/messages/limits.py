"""Site-wide limits that know nobody: one counter per kind of event, for the current minute.

A visitor is never identified, so a limit cannot be per person: it is for the whole site
(new messages per minute, pick-up code look-ups per minute). Each limit is one row holding a
count and the window it counts. The window is stored as an HMAC of the minute under a key
derived from the messages key, not as a time: a copy of the database must not tell the minute
of the latest message (conversations keep days only). Each new minute overwrites the row, so
there is never more than one window per limit.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from sqlalchemy import Integer, String, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, scoped_session

from app.schema import Base

Database = Session | scoped_session[Any]


class MessageLimit(Base):
    __tablename__ = "message_limit"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    window: Mapped[str] = mapped_column(String(32))
    count: Mapped[int] = mapped_column(Integer)


def window_tag(window_key: bytes, minute: int) -> str:
    return hmac.new(window_key, str(minute).encode(), hashlib.sha256).hexdigest()[:32]


def spend(session: Database, name: str, limit: int, tag: str) -> bool:
    """Count one event in this window; False (nothing counted) when the limit is reached.

    Each step is one conditional UPDATE, so two workers at once cannot both take the last
    place: the database decides which UPDATE matches.
    """
    counted = session.execute(
        update(MessageLimit)
        .where(MessageLimit.name == name, MessageLimit.window == tag, MessageLimit.count < limit)
        .values(count=MessageLimit.count + 1)
    )
    if _matched(counted):
        return True
    renewed = session.execute(
        update(MessageLimit)
        .where(MessageLimit.name == name, MessageLimit.window != tag)
        .values(window=tag, count=1)
    )
    if _matched(renewed):
        return limit >= 1
    if session.get(MessageLimit, name) is not None:
        return False  # this window is full
    try:
        with session.begin_nested():
            session.add(MessageLimit(name=name, window=tag, count=1))
    except IntegrityError:
        return spend(session, name, limit, tag)  # another worker made the row just now
    return limit >= 1


def _matched(result: Any) -> bool:
    return bool(result.rowcount == 1)
