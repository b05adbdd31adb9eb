"""Helpers for the opening-hours editor's tests: the stored hours, a field's error, an upload."""

from __future__ import annotations

import datetime as dt
import io
import re

from flask import Flask

from app import clock
from app.db import db
from app.hours.schedule_json import dump_schedule
from app.hours.store import load_schedule
from tests.staff.conftest import StaffLogin
from tests.staff.helpers import form_fields

URL = "/staff/hours"


def stored(app: Flask) -> dict[str, object]:
    with app.app_context():
        loaded = load_schedule(db.session)
        assert loaded is not None
        return dump_schedule(loaded[0])


def today() -> dt.date:
    return clock.now().date()


def error_of(page: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', page)
    assert match, f"no error shown for {field_id}"
    return match.group(1)


def upload(staff: StaffLogin, content: bytes):  # type: ignore[no-untyped-def]
    fields = form_fields(staff.client.get("/staff/hours/import"))
    data = {**fields, "file": (io.BytesIO(content), "hours.json")}
    return staff.client.post("/staff/hours/import", data=data, content_type="multipart/form-data")
