"""Staff accounts, their sessions, recovery codes, the login throttle, the audit trail and the
public notice.

None of these tables ever holds visitor data. Usernames in the throttle are stored as an HMAC,
so a password typed into the username field by mistake is never kept in clear text.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from app.db import db


class StaffUser(db.Model):  # type: ignore[name-defined]
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The last TOTP time step accepted: a code from that step or before is refused (no reuse).
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # May open the shift lead's board (app/staff/board_views.py); admins may anyway.
    is_shift_lead: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when an admin chose the password (a reset, a new account): it works for one login,
    # and that login must set a new one before reaching any staff page.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    @property
    def leads_shifts(self) -> bool:
        """Shift lead or admin: one rule for the board's gate and for its menu entry."""
        return bool(self.is_admin or self.is_shift_lead)


class StaffSession(db.Model):  # type: ignore[name-defined]
    """A session, logged in or a login in progress. The cookie carries only the random id:
    everything a login step needs (which step, the authenticator secret being set up, where to
    go afterwards) is kept here, so a copy of the cookie reveals nothing. Deleting rows ends
    sessions."""

    __tablename__ = "staff_session"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # app.staff.auth.Stage: "active" is logged in; any other value is a login in progress.
    stage: Mapped[str] = mapped_column(String(16), default="active", server_default="active")
    enroll_secret: Mapped[str | None] = mapped_column(String(64))
    next_path: Mapped[str] = mapped_column(String(512), default="", server_default="")


class RecoveryCode(db.Model):  # type: ignore[name-defined]
    """A one-time recovery code, stored only as an HMAC: the database alone cannot give one."""

    __tablename__ = "staff_recovery_code"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)


class LoginThrottle(db.Model):  # type: ignore[name-defined]
    """Login attempts per username in the current window (app/staff/throttle.py)."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditEntry(db.Model):  # type: ignore[name-defined]
    """Who changed what, when, with the value before and after. Staff accountability only."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(120), default="")
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")


class Notice(db.Model):  # type: ignore[name-defined]
    """The short public notice shown on every page while it is active."""

    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    html_nl: Mapped[str] = mapped_column(Text, default="")
    html_en: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)


class CannedResponse(db.Model):  # type: ignore[name-defined]
    """A ready-made chat reply that staff write once and counsellors send with one choice.

    Written by staff, never by visitors: this table holds no chat content.
    """

    __tablename__ = "canned_response"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
