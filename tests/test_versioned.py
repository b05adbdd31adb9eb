"""The one versioned save (app/versioned.py): a change, its audit entry and its revision bump
are stored together or not at all, and a stale version is refused.

Run through the real stores on the app's real database, with the staff audit trail as the
callback, the way the editors use it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask, g
from sqlalchemy import func, select

from app.contacts import Contact, editable, save_contact
from app.content import contact
from app.db import db
from app.messages.answer_time import answer_time, save_answer_time
from app.notice.store import NoticeInfo, load_notice, save_notice
from app.revision import read_revisions
from app.staff.audit import AuditEntry, record_change
from app.versioned import Stale
from tests.conftest import make_app


def audit_count(action: str) -> int:
    count = db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
    )
    return int(count or 0)


def test_a_save_stores_the_change_its_audit_entry_and_the_revision_together(app: Flask) -> None:
    with app.test_request_context():
        stored = db.session.get(Contact, "helpline")
        assert stored is not None
        before, revision = editable(stored), read_revisions(db.session).get("contacts", 0)
        values = {**before, "name": "Stop it Now! (test)"}
        new_version = save_contact(
            db.session, "helpline", stored.version, values, audit=record_change
        )
        db.session.expire_all()
        saved = db.session.get(Contact, "helpline")
        assert saved is not None
        assert (saved.name, saved.version) == ("Stop it Now! (test)", new_version)
        assert audit_count("contact changed") == 1
        assert read_revisions(db.session)["contacts"] == revision + 1


def test_a_stale_save_is_refused_and_leaves_nothing_behind(app: Flask) -> None:
    with app.test_request_context():
        stored = db.session.get(Contact, "helpline")
        assert stored is not None
        version, revision = stored.version, read_revisions(db.session).get("contacts", 0)
        values = {**editable(stored), "name": "first"}
        save_contact(db.session, "helpline", version, values, audit=record_change)
        with pytest.raises(Stale):
            save_contact(
                db.session, "helpline", version, {**values, "name": "second"}, audit=record_change
            )
        db.session.expire_all()
        saved = db.session.get(Contact, "helpline")
        assert saved is not None
        assert saved.name == "first"
        assert audit_count("contact changed") == 1  # the refused save wrote no entry
        assert read_revisions(db.session)["contacts"] == revision + 1  # nor a bump


def test_two_first_saves_of_a_single_row_collide_on_its_key(app: Flask) -> None:
    """Version 0 is "nothing stored yet": the second first save is refused, not merged."""
    with app.test_request_context():
        assert load_notice(db.session).version == 0
        first = NoticeInfo(html_nl="<p>een</p>", html_en="<p>one</p>")
        assert save_notice(db.session, first, 0, audit=record_change) == 1
        second = NoticeInfo(html_nl="<p>twee</p>", html_en="<p>two</p>")
        with pytest.raises(Stale):
            save_notice(db.session, second, 0, audit=record_change)
        assert load_notice(db.session).html_en == "<p>one</p>"
        assert audit_count("notice changed") == 1


def test_version_zero_adds_no_row_where_rows_are_never_added(app: Flask) -> None:
    """The directory has no "create": a version 0 sent for a contact is simply stale."""
    with app.test_request_context():
        count = db.session.scalar(select(func.count()).select_from(Contact))
        stored = db.session.get(Contact, "helpline")
        assert stored is not None
        with pytest.raises(Stale):
            save_contact(db.session, "helpline", 0, editable(stored), audit=record_change)
        assert db.session.scalar(select(func.count()).select_from(Contact)) == count
        with pytest.raises(Stale):
            save_contact(db.session, "no-such-key", 1, editable(stored), audit=record_change)


def test_the_answer_time_line_goes_through_the_same_save(app: Flask) -> None:
    with app.test_request_context():
        save_answer_time(db.session, "binnen 5 dagen", "within 5 days", 0, audit=record_change)
        with pytest.raises(Stale):
            save_answer_time(db.session, "nooit", "never", 0, audit=record_change)
        assert answer_time(db.session, "en") == "within 5 days"
        assert audit_count("message answer time changed") == 1


def test_the_worker_that_saved_sees_its_change_at_once(tmp_path: Path) -> None:
    """The revision check waits an hour here: only the bump noted in the session
    (app/revision.py, app/content_cache.py) can make this worker reload."""
    app = make_app(tmp_path, CONTENT_CHECK_SECONDS=3600.0)
    with app.test_request_context("/en/"):
        g.lang = "en"
        assert contact("helpline").name == "Stop it Now!"
        stored = db.session.get(Contact, "helpline")
        assert stored is not None
        values = {**editable(stored), "name_en": "Stop it Now! (changed)"}
        save_contact(db.session, "helpline", stored.version, values)
    with app.test_request_context("/en/"):
        g.lang = "en"
        assert contact("helpline").name == "Stop it Now! (changed)"
