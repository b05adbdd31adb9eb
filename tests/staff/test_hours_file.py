"""The opening hours as a file in the staff area: the download, and the upload that replaces
all hours (checked first; nothing changes on any problem)."""

from __future__ import annotations

import json

import pytest
from flask import Flask

from app.db import db
from app.hours.store import is_to_confirm
from app.staff.audit import AuditEntry
from app.staff.hours import views as hours_views
from tests.staff.conftest import StaffLogin
from tests.staff.helpers import form_fields, page_text, translated
from tests.staff.hours_pages import error_of, stored, upload


def test_download_gives_the_import_file(app: Flask, logged_in_admin: StaffLogin) -> None:
    response = logged_in_admin.client.get("/staff/hours/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json() == stored(app)


def test_upload_replaces_the_hours_and_clears_the_flag(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    document = stored(app)
    document["channels"]["phone"]["weekly"]["sun"] = ["12:00-13:00"]  # type: ignore[index]
    response = upload(logged_in_admin, json.dumps(document).encode())
    assert response.status_code == 302
    assert stored(app) == document
    with app.app_context():
        assert not is_to_confirm(db.session)
        assert db.session.query(AuditEntry).filter_by(action="hours changed").count() == 1


def test_upload_with_problems_lists_every_one_and_changes_nothing(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    before = stored(app)
    document = json.loads(json.dumps(before))
    document["channels"]["phone"]["weekly"]["mon"] = ["09:00-17:00", "16:00-18:00"]
    document["channels"]["chat"]["weekly"]["xyz"] = []
    document["channels"]["chat"]["holidays"] = "maybe"
    response = upload(logged_in_admin, json.dumps(document).encode())
    assert response.status_code == 200
    problems = page_text(response).split('id="import-problems"', 1)[1].split("</div>", 1)[0]
    for path in (
        "channels.phone.weekly.mon[1]",
        "channels.chat.weekly.xyz",
        "channels.chat.holidays",
    ):
        assert f"<code>{path}</code>" in problems
    assert problems.count("<li>") == 3
    assert stored(app) == before


@pytest.mark.parametrize(
    "content",
    [b"", b"not json", b"\xff\xfe\x00", b"[" * 200_000, b"[]", b'{"a": 1}'],
)
def test_upload_of_junk_is_refused_clearly(
    app: Flask, logged_in_admin: StaffLogin, content: bytes
) -> None:
    before = stored(app)
    response = upload(logged_in_admin, content)
    assert response.status_code == 200
    assert 'id="import-problems"' in response.get_data(as_text=True)
    assert stored(app) == before


def test_a_too_large_upload_is_not_read(
    app: Flask, logged_in_admin: StaffLogin, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small limit: the test client leaves the temporary file of a big upload open.
    monkeypatch.setattr(hours_views, "MAX_UPLOAD_BYTES", 2000)
    before = stored(app)
    response = upload(logged_in_admin, json.dumps(before).encode() + b" " * 2000)
    assert response.status_code == 200
    expected = translated(app, "The file is larger than 1 MB. Is it the right file?")
    assert expected in page_text(response)
    assert stored(app) == before


def test_upload_without_a_file_asks_for_one(logged_in_admin: StaffLogin) -> None:
    fields = form_fields(logged_in_admin.client.get("/staff/hours/import"))
    response = logged_in_admin.client.post("/staff/hours/import", data=fields)
    assert response.status_code == 200
    assert error_of(page_text(response), "file")
