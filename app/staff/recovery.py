"""One-time recovery codes: a way in when the authenticator app is lost.

Made with `secrets` right after the authenticator is set up and shown that once; only an HMAC
of each is stored (keyed with the SECRET_KEY, which lives outside the database), so a copy of
the database gives no code. A code has 60 random bits, which is why a keyed hash is enough
and argon2's cost is not needed: nobody can guess one. Each code is used up by the same
statement that accepts it (a DELETE that must remove exactly one row), so two requests with
one code cannot both log in. An admin reset deletes them all; setting up a new authenticator
replaces them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app
from sqlalchemy import ForeignKey, String, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from app.db import db
from app.schema import Base
from app.staff.accounts import StaffUser

CODE_COUNT = 10
# No 0/o, 1/l/i: a code copied from paper must not be ambiguous.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
GROUPS, GROUP_LENGTH = 3, 4  # 12 characters from 31: about 59 bits


class RecoveryCode(Base):
    """A one-time recovery code, stored only as an HMAC: the database alone cannot give one."""

    __tablename__ = "staff_recovery_code"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)


def _normal(code: str) -> str:
    """The code as stored: case, spaces and dashes do not matter when typing it."""
    return "".join(code.lower().split()).replace("-", "")


def _hash(user: StaffUser, code: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    message = f"recovery:{user.id}:{_normal(code)}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def new_codes(user: StaffUser) -> list[str]:
    """Replace `user`'s recovery codes with fresh ones and return them (to show once)."""
    codes = [
        "-".join(
            "".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS)
        )
        for _ in range(CODE_COUNT)
    ]
    clear_codes(user)
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(user, c)) for c in codes)
    db.session.commit()
    return codes


def use_code(user: StaffUser, code: str) -> bool:
    """True if `code` is one of `user`'s unused codes; it is used up in the same statement."""
    if len(_normal(code)) != GROUPS * GROUP_LENGTH:
        return False
    result = db.session.execute(
        delete(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(user, code)
        )
    )
    db.session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def remaining(user: StaffUser) -> int:
    count = db.session.scalar(
        select(func.count()).select_from(RecoveryCode).where(RecoveryCode.user_id == user.id)
    )
    return int(count or 0)


def clear_codes(user: StaffUser) -> None:
    """Delete every code of `user` (the caller commits, with the change that needs it)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
