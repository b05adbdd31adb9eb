"""Staff accounts and their sessions: the tables the staff gate (app/staff/auth.py) reads.

Neither table ever holds visitor data. The other staff tables live next to their logic:
recovery codes in recovery.py, the login throttle in throttle.py, the audit trail in audit.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from app.schema import Base


class StaffUser(Base):
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


class StaffSession(Base):
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
