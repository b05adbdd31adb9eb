"""The login throttle: at most MAX_FAILURES attempts per username in a THROTTLE_WINDOW.

An attempt (a password, a TOTP code, a recovery code) first *reserves* its place with one
atomic statement, and only then is it checked: an INSERT ... ON CONFLICT DO UPDATE ... WHERE
the window is over or the count is below the limit, RETURNING the new count. No row returned
means no place left, and the attempt is refused unchecked. Read, check, then write would let
40 parallel guesses all read "0 failures" and all be checked; one statement cannot be
interleaved, on SQLite or PostgreSQL. Because the row is never read first, two first attempts
at once cannot both insert it (no IntegrityError under load either).

A right password gives its place back (`refund_attempt`); a completed login clears the row.
So the count is failures plus checks still running, never more than the limit.

Rows are keyed by an HMAC of the username (known or not, the same rule: nothing tells which
usernames exist) and no address is used. `purge_expired` deletes rows whose window is over,
on every password step, so the table holds at most one window of usernames ever tried.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import DateTime, Integer, String, case, delete, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from app.db import db
from app.schema import Base

MAX_FAILURES = 5
THROTTLE_WINDOW = timedelta(minutes=15)


class LoginThrottle(Base):
    """Login attempts per username in the current window. Usernames are stored as an HMAC,
    so a password typed into the username field by mistake is never kept in clear text."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def throttle_key(username: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    name = username.strip().lower().encode()
    return hmac.new(secret, b"throttle:" + name, hashlib.sha256).hexdigest()


def reserve_attempt(username: str, moment: datetime) -> bool:
    """Take one of the window's attempts for `username`; False (and nothing taken) if none left.

    Committed at once, before the attempt is checked: the reservation must be visible to every
    other worker while the (slow) password hash runs, and no lock is held meanwhile.
    """
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    over = LoginThrottle.window_start < moment - THROTTLE_WINDOW
    statement = (
        insert(LoginThrottle)
        .values(key=throttle_key(username), failures=1, window_start=moment)
        .on_conflict_do_update(
            index_elements=[LoginThrottle.key],
            set_={
                "failures": case((over, 1), else_=LoginThrottle.failures + 1),
                "window_start": case((over, moment), else_=LoginThrottle.window_start),
            },
            where=or_(over, LoginThrottle.failures < MAX_FAILURES),
        )
        .returning(LoginThrottle.failures)
    )
    reserved = db.session.execute(statement).first() is not None
    db.session.commit()
    return reserved


def refund_attempt(username: str) -> None:
    """Give back the place a right answer took: only wrong answers count against the limit."""
    db.session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == throttle_key(username), LoginThrottle.failures > 0)
        .values(failures=LoginThrottle.failures - 1)
    )
    db.session.commit()


def clear_failures(username: str) -> None:
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == throttle_key(username)))
    db.session.commit()


def purge_expired(moment: datetime) -> None:
    """Forget usernames whose window is over: such a row counts for nothing any more."""
    db.session.execute(
        delete(LoginThrottle).where(LoginThrottle.window_start < moment - THROTTLE_WINDOW)
    )
    db.session.commit()
