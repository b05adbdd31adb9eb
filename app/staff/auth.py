"""Staff authentication, held to SecureDrop's standard.

- Passwords: argon2id, 14-128 characters, not a common password, not the username.
- Second factor: TOTP is mandatory; a code whose time step was already used is refused.
- Throttle: per username (stored as an HMAC), in the database so every worker and machine
  shares it, applied to unknown usernames too with the same message, so usernames cannot be
  discovered. No IP address is used or stored.
- Sessions live in the database; the cookie carries only a random id. A new id is issued at
  login (no fixation), and deleting a user's rows ends all their sessions at once (password
  change, disabling). Idle timeout 30 minutes, absolute lifetime 12 hours.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, g, session
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from app.db import db
from app.staff.models import LoginThrottle, StaffSession, StaffUser

PASSWORD_MIN, PASSWORD_MAX = 14, 128
MAX_FAILURES = 5
THROTTLE_WINDOW = timedelta(minutes=15)
IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_LIFETIME = timedelta(hours=12)
TOUCH_EVERY = timedelta(minutes=1)
TOTP_STEP_SECONDS = 30

HASHER = PasswordHasher()
COMMON_PASSWORDS = frozenset(
    line.strip().lower()
    for line in (Path(__file__).parent / "common_passwords.txt").read_text().splitlines()
    if line.strip()
)


def now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def password_problems(password: str, username: str) -> list[str]:
    """What is wrong with a new password, in the staff member's language; [] if nothing."""
    problems = []
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        problems.append(_("Use %(min)d to %(max)d characters.", min=PASSWORD_MIN, max=PASSWORD_MAX))
    core = password.lower().strip("0123456789!")
    if password.lower() in COMMON_PASSWORDS or core in COMMON_PASSWORDS:
        problems.append(_("This password is too common."))
    if username and username.lower() in password.lower():
        problems.append(_("The password must not contain the username."))
    return problems


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def find_user(username: str) -> StaffUser | None:
    return db.session.scalar(
        select(StaffUser).where(func.lower(StaffUser.username) == username.strip().lower())
    )


def _throttle_key(username: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    name = username.strip().lower().encode()
    return hmac.new(secret, b"throttle:" + name, hashlib.sha256).hexdigest()


def _throttle(username: str) -> LoginThrottle:
    key = _throttle_key(username)
    row = db.session.get(LoginThrottle, key)
    if row is None or now() - _aware(row.window_start) > THROTTLE_WINDOW:
        if row is None:
            row = LoginThrottle(key=key)
            db.session.add(row)
        row.failures = 0
        row.window_start = now()
    return row


def is_throttled(username: str) -> bool:
    return _throttle(username).failures >= MAX_FAILURES


def record_failure(username: str) -> None:
    _throttle(username).failures += 1
    db.session.commit()


def clear_failures(username: str) -> None:
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == _throttle_key(username)))
    db.session.commit()


@functools.cache
def dummy_hash() -> str:
    """Verified against when the username is unknown, so both cases take the same time.

    Made on first use, not at import: hashing costs argon2's 64 MiB, in every web worker.
    """
    return HASHER.hash(secrets.token_urlsafe(24))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password(username: str, password: str) -> StaffUser | None:
    """The active user with these credentials, or None (also when throttled)."""
    if is_throttled(username):
        _verify(dummy_hash(), password)  # the same work as a real attempt: no timing hint
        return None
    user = find_user(username)
    valid = _verify(user.password_hash if user else dummy_hash(), password)
    if not valid or user is None or not user.is_active:
        record_failure(username)
        return None
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: StaffUser, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name="Helpline staff")


def accept_totp(user: StaffUser, secret: str, code: str) -> bool:
    """True if `code` is valid now (one step of clock drift allowed) and not used before."""
    code = code.strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:  # noqa: PLR2004 (TOTP codes have 6 digits)
        return False
    totp = pyotp.TOTP(secret)
    current = int(now().timestamp()) // TOTP_STEP_SECONDS
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.at(step * TOTP_STEP_SECONDS), code):
            if step <= user.totp_last_step:
                return False  # this code (or a later one) was already used
            user.totp_last_step = step
            db.session.commit()
            return True
    return False


def _hash_session_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: StaffUser) -> None:
    """Log `user` in with a fresh session id; whatever the session held before is dropped."""
    session.clear()
    token = secrets.token_urlsafe(32)
    moment = now()
    db.session.add(
        StaffSession(
            id_hash=_hash_session_id(token), user_id=user.id, created_at=moment, last_seen=moment
        )
    )
    db.session.commit()
    session["sid"] = token


def end_session() -> None:
    token = session.get("sid")
    if token:
        db.session.execute(
            delete(StaffSession).where(StaffSession.id_hash == _hash_session_id(token))
        )
        db.session.commit()
    session.clear()


def end_all_sessions(user: StaffUser) -> None:
    db.session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    db.session.commit()


def current_user() -> StaffUser | None:
    """The logged-in staff member, or None if there is no valid, live session."""
    if "staff_user" in g:
        user: StaffUser | None = g.staff_user
        return user
    g.staff_user = None
    token = session.get("sid")
    if not token:
        return None
    row = db.session.get(StaffSession, _hash_session_id(token))
    moment = now()
    if row is None:
        session.clear()
        return None
    expired = (
        moment - _aware(row.last_seen) > IDLE_TIMEOUT
        or moment - _aware(row.created_at) > SESSION_LIFETIME
    )
    user = db.session.get(StaffUser, row.user_id)
    if expired or user is None or not user.is_active:
        end_session()
        return None
    if moment - _aware(row.last_seen) > TOUCH_EVERY:
        row.last_seen = moment
        db.session.commit()
    g.staff_user = user
    return user
