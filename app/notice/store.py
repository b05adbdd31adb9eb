"""The short public notice ("Chat is closed today for maintenance"): the stored row and its save.

Visitor content, written by staff: the text is made safe by app/notice/text.py. The HTML is
cleaned when it is saved and again when it is loaded for the public pages, so a row written
some other way (a restore, a manual fix) can still never put a script on a visitor's page.

Public pages read the notice through the worker cache (`public_notice` in app/content.py) as a
plain value; whether it is active (between start and end) is decided per request. Plain
SQLAlchemy: the caller passes its session.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.notice.text import sanitize
from app.revision import Database
from app.schema import Base
from app.versioned import Audit, Change, Versioned

NOTICE_ID = 1
MAX_NOTICE_LENGTH = 1000


class Notice(Base):
    """The short public notice shown on every page while it is active."""

    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    html_nl: Mapped[str] = mapped_column(Text, default="")
    html_en: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)


ROWS = Versioned(Notice, revision="notice", create=True)


@dataclass(frozen=True)
class NoticeInfo:
    """The stored notice as a plain value, safe to share between requests."""

    html_nl: str = ""
    html_en: str = ""
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    version: int = 0

    def is_active(self, moment: datetime) -> bool:
        if not (self.html_nl or self.html_en):
            return False
        if self.starts_at is not None and moment < self.starts_at:
            return False
        return self.ends_at is None or moment < self.ends_at

    def html(self, lang: str) -> str:
        return self.html_en if lang == "en" else self.html_nl


def load_notice(session: Database) -> NoticeInfo:
    """The stored notice, cleaned, straight from the database (empty if there is none)."""
    row = session.scalar(select(Notice).where(Notice.id == NOTICE_ID))
    if row is None:
        return NoticeInfo()
    return NoticeInfo(
        html_nl=sanitize(row.html_nl),
        html_en=sanitize(row.html_en),
        starts_at=clock.aware(row.starts_at) if row.starts_at else None,
        ends_at=clock.aware(row.ends_at) if row.ends_at else None,
        version=row.version,
    )


def save_notice(
    session: Database, notice: NoticeInfo, expected_version: int, *, audit: Audit | None = None
) -> int:
    """Store `notice` (cleaned) if the stored version is still `expected_version`, and commit.

    Of two staff members saving at once the second gets Stale instead of overwriting the
    first (app/versioned.py). Version 0 means "no notice was stored yet"; then two first saves
    collide on the key.
    """
    before = load_notice(session)
    values = {
        "html_nl": sanitize(notice.html_nl),
        "html_en": sanitize(notice.html_en),
        "starts_at": notice.starts_at,
        "ends_at": notice.ends_at,
    }
    change = Change(
        "notice changed", "notice", before=_audit_view(before), after=_audit_view(values)
    )
    return ROWS.save(
        session, {"id": NOTICE_ID}, expected_version, values, change=change, audit=audit
    )


def _audit_view(notice: NoticeInfo | dict[str, Any]) -> dict[str, str]:
    data = notice if isinstance(notice, dict) else asdict(notice)
    return {
        key: value.isoformat() if isinstance(value, datetime) else str(value or "")
        for key, value in data.items()
        if key != "version"
    }
