"""What staff say about answering, on the "leave a message" page: "within 3 working days".

One row, edited like every staff editor: the versioned save (app/versioned.py), with its audit
entry through the callback the staff view passes.
"""

from __future__ import annotations

from app.messages.limits import Database
from app.messages.models import MessageSettings
from app.versioned import Audit, Change, Versioned

SETTINGS_ID = 1
DEFAULT_ANSWER_TIME = {"nl": "binnen 3 werkdagen", "en": "within 3 working days"}
MAX_ANSWER_TIME = 200
# No revision: the message page is never kept in the page cache (it carries a one-time form key).
ROWS = Versioned(MessageSettings, create=True)


def answer_time(session: Database, lang: str) -> str:
    """Staff's line on when an answer can be expected, in the page's language."""
    row = session.get(MessageSettings, SETTINGS_ID)
    text = (row.answer_time_en if lang == "en" else row.answer_time_nl) if row else ""
    return text or DEFAULT_ANSWER_TIME["en" if lang == "en" else "nl"]


def settings_version(session: Database) -> int:
    row = session.get(MessageSettings, SETTINGS_ID)
    return row.version if row else 0


def save_answer_time(
    session: Database, nl: str, en: str, expected_version: int, *, audit: Audit | None = None
) -> int:
    """Store the line in both languages and commit; Stale when someone else saved first."""
    before = {"nl": answer_time(session, "nl"), "en": answer_time(session, "en")}
    change = Change("message answer time changed", "", before=before, after={"nl": nl, "en": en})
    values = {"answer_time_nl": nl, "answer_time_en": en}
    return ROWS.save(
        session, {"id": SETTINGS_ID}, expected_version, values, change=change, audit=audit
    )
