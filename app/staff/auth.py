"""Staff authentication, held to SecureDrop's standard.

- Passwords: argon2id, 14-128 characters, not a common password, not the username. A password
  an admin chose (a reset, a new account) works once: the check that accepts it also voids it,
  and that login must set a new password before reaching any staff page.
- Second factor: TOTP is mandatory; a code whose time step was already used is refused. One-time
  recovery codes stand in for a lost authenticator (app/staff/recovery.py).
- Throttle: per username, an atomic reservation before anything is checked, in the database so
  every worker and machine shares it (app/staff/throttle.py). No IP address is used or stored.
- Sessions live in the database; the cookie carries only a random id, also while a login is in
  progress (the authenticator secret being set up is in the row, never in the cookie). A new id
  is issued at every step of a login (no fixation), and deleting a user's rows ends all their
  sessions at once (password change, disabling). Idle timeout 30 minutes, absolute lifetime
  12 hours; a login step must be finished within SECOND_STEP.
- Under load the staff area gets slower, not broken: no transaction stays open while a password
  is hashed, every counter is one statement, and at most HASHING_AT_ONCE hashes run per worker.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import threading
from datetime import timedelta
from enum import StrEnum
from pathlib import Path

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, g, has_app_context, session
from flask_babel import gettext as _
from sqlalchemy import and_, delete, func, or_, select, update

from app import clock
from app.db import db
from app.staff import throttle
from app.staff.accounts import StaffSession, StaffUser

PASSWORD_MIN, PASSWORD_MAX = 14, 128
MAX_FAILURES = throttle.MAX_FAILURES
IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_LIFETIME = timedelta(hours=12)
SECOND_STEP = timedelta(minutes=10)
TOUCH_EVERY = timedelta(minutes=1)
TOTP_STEP_SECONDS = 30
# Each argon2 hash takes 64 MiB: a burst of logins waits its turn instead of exhausting memory.
HASHING_AT_ONCE = threading.BoundedSemaphore(2)
# Stands in for a one-time password once used: no argon2 hash looks like this, none verifies.
SPENT_HASH = "!one-time password used"

PRODUCTION_HASHER = PasswordHasher()  # argon2id, argon2-cffi's defaults (RFC 9106, 64 MiB)
# The same algorithm at its smallest cost, for the test suite's hundreds of logins only: it is
# chosen by an app made with TESTING and FAST_PASSWORD_HASHES, which no environment variable
# sets (load_config reads neither), so a deployment always hashes at the production cost.
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def hasher() -> PasswordHasher:
    """The production hasher, outside an app too; a test app's cheap one (see TEST_HASHER)."""
    if has_app_context() and current_app.testing and current_app.config.get("FAST_PASSWORD_HASHES"):
        return TEST_HASHER
    return PRODUCTION_HASHER


COMMON_PASSWORDS = frozenset(
    line.strip().lower()
    for line in (Path(__file__).parent / "common_passwords.txt").read_text().splitlines()
    if line.strip()
)


class Stage(StrEnum):
    """Where a session is: logged in, or which step of a login it is waiting for."""

    ACTIVE = "active"
    CODE = "code"  # password right; a TOTP or recovery code next
    ENROLL = "enroll"  # password right; set up the authenticator next
    # Both factors right after a one-time password; a new password next.
    NEW_PASSWORD = "new-password"  # noqa: S105 (a stage name, not a password)


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
    with HASHING_AT_ONCE:
        return hasher().hash(password)


def find_user(username: str) -> StaffUser | None:
    return db.session.scalar(
        select(StaffUser).where(func.lower(StaffUser.username) == username.strip().lower())
    )


def reserve_attempt(username: str) -> bool:
    """Take one of `username`'s attempts before checking a code; False if none are left."""
    return throttle.reserve_attempt(username, clock.now())


def clear_failures(username: str) -> None:
    throttle.clear_failures(username)


def purge_expired() -> None:
    """Delete throttle rows whose window is over and sessions past their lifetime.

    Run on every password step: abandoned logins and usernames tried once are not kept.
    """
    moment = clock.now()
    throttle.purge_expired(moment)
    db.session.execute(
        delete(StaffSession).where(
            or_(
                and_(
                    StaffSession.stage.in_([Stage.CODE, Stage.ENROLL]),
                    StaffSession.created_at < moment - SECOND_STEP,
                ),
                StaffSession.last_seen < moment - IDLE_TIMEOUT,
                StaffSession.created_at < moment - SESSION_LIFETIME,
            )
        )
    )
    db.session.commit()


def dummy_hash() -> str:
    """Verified against when the username is unknown, so both cases take the same time."""
    return _dummy_hash(hasher())


@functools.cache
def _dummy_hash(chosen: PasswordHasher) -> str:
    """Made on first use, not at import: hashing costs argon2's 64 MiB, in every web worker."""
    with HASHING_AT_ONCE:
        return chosen.hash(secrets.token_urlsafe(24))


def _verify(password_hash: str, password: str) -> bool:
    try:
        with HASHING_AT_ONCE:
            return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password(username: str, password: str) -> StaffUser | None:
    """The active user with these credentials, or None (also when throttled).

    A one-time password is used up here, by the same statement that accepts it: a second
    login with it, even one running at the same moment, finds it void.
    """
    if not throttle.reserve_attempt(username, clock.now()):
        _verify(dummy_hash(), password)  # the same work as a real attempt: no timing hint
        return None
    found = db.session.execute(
        select(StaffUser.id, StaffUser.password_hash, StaffUser.is_active).where(
            func.lower(StaffUser.username) == username.strip().lower()
        )
    ).first()
    db.session.commit()  # no transaction stays open (and no connection held) while hashing
    valid = _verify(found.password_hash if found else dummy_hash(), password)
    if not valid or found is None or not found.is_active:
        return None  # the reserved attempt stays: it is this failure on record
    throttle.refund_attempt(username)
    user = db.session.get(StaffUser, found.id)
    if user is None:
        return None
    if user.must_change_password:
        used = db.session.execute(
            update(StaffUser)
            .where(StaffUser.id == found.id, StaffUser.password_hash == found.password_hash)
            .values(password_hash=SPENT_HASH)
        )
        db.session.commit()
        return user if used.rowcount == 1 else None  # type: ignore[attr-defined]
    if hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: StaffUser, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name="Helpline staff")


def accept_totp(user: StaffUser, secret: str, code: str) -> bool:
    """True if `code` is valid now (one step of clock drift allowed) and not used before.

    The step is recorded by one conditional UPDATE: of two requests with the same code, only
    the one whose UPDATE changed the row logs in.
    """
    code = code.strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:  # noqa: PLR2004 (TOTP codes have 6 digits)
        return False
    totp = pyotp.TOTP(secret)
    current = int(clock.now().timestamp()) // TOTP_STEP_SECONDS
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.at(step * TOTP_STEP_SECONDS), code):
            recorded = db.session.execute(
                update(StaffUser)
                .where(StaffUser.id == user.id, StaffUser.totp_last_step < step)
                .values(totp_last_step=step)
            )
            db.session.commit()
            return bool(recorded.rowcount == 1)  # type: ignore[attr-defined]
    return False


def _hash_session_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    user: StaffUser,
    stage: Stage = Stage.ACTIVE,
    *,
    enroll_secret: str | None = None,
    next_path: str = "",
) -> None:
    """Give this browser a fresh session id for `user` at `stage`; its previous session ends.

    Everything the next step needs is stored in the row: the cookie gets only the id.
    """
    end_session()
    token = secrets.token_urlsafe(32)
    moment = clock.now()
    db.session.add(
        StaffSession(
            id_hash=_hash_session_id(token),
            user_id=user.id,
            created_at=moment,
            last_seen=moment,
            stage=stage,
            enroll_secret=enroll_secret,
            next_path=next_path,
        )
    )
    db.session.commit()
    session["sid"] = token
    g.pop("staff_user", None)


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


def _live_session() -> tuple[StaffSession, StaffUser] | None:
    """This browser's session (logged in or a login in progress) and its user, if still valid.

    An expired session is deleted, not just refused.
    """
    token = session.get("sid")
    if not token:
        return None
    row = db.session.get(StaffSession, _hash_session_id(token))
    if row is None:
        session.pop("sid")
        return None
    moment = clock.now()
    created, seen = clock.aware(row.created_at), clock.aware(row.last_seen)
    if row.stage in (Stage.CODE, Stage.ENROLL):
        expired = moment - created > SECOND_STEP
    else:
        expired = moment - seen > IDLE_TIMEOUT or moment - created > SESSION_LIFETIME
    user = db.session.get(StaffUser, row.user_id)
    if expired or user is None or not user.is_active:
        # Only the id goes: the CSRF token this request may already have put in a form stays
        # valid, so the login form shown now still works.
        db.session.execute(delete(StaffSession).where(StaffSession.id_hash == row.id_hash))
        db.session.commit()
        session.pop("sid")
        return None
    if moment - seen > TOUCH_EVERY:
        # One UPDATE, no version check: a session deleted meanwhile (a logout in another tab)
        # simply stays deleted, instead of failing this request.
        db.session.execute(
            update(StaffSession)
            .where(StaffSession.id_hash == row.id_hash)
            .values(last_seen=moment)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    return row, user


def current_user() -> StaffUser | None:
    """The logged-in staff member, or None if there is no valid, live, finished login."""
    if "staff_user" in g:
        user: StaffUser | None = g.staff_user
        return user
    live = _live_session()
    user = live[1] if live and live[0].stage == Stage.ACTIVE else None
    g.staff_user = user
    return user


def login_in_progress(*stages: Stage) -> tuple[StaffSession, StaffUser] | None:
    """This browser's login in progress, if it is waiting at one of `stages`."""
    live = _live_session()
    return live if live and live[0].stage in stages else None
