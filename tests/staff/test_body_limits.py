"""The staff's hours import takes more than the site's 64 KiB body limit, but not without
bound (issue 16, item 8): a file somewhat over 1 MB gets the import's own clear message, a
much larger body a 413 before it is read."""

from __future__ import annotations

import json

from flask import Flask

from app.privacy import DEFAULT_BODY_LIMIT
from app.staff.hours.views import MAX_UPLOAD_BYTES
from tests.staff.conftest import StaffLogin
from tests.staff.helpers import form_fields, page_text, translated


def upload(staff: StaffLogin, content: bytes):  # type: ignore[no-untyped-def]
    """The import form with `content` as its file, as a raw body: the test client would
    spool a large multipart file of its own to a temporary file and leave it open."""
    fields = form_fields(staff.client.get("/staff/hours/import"))
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="hours.json"\r\n'
        "Content-Type: application/json\r\n\r\n".encode()
        + content
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )
    return staff.client.post(
        "/staff/hours/import",
        data=b"".join(parts),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )


BOUNDARY = "limits-test-boundary"


def test_an_hours_file_above_the_site_limit_is_read(logged_in_admin: StaffLogin) -> None:
    export = logged_in_admin.client.get("/staff/hours/export").data
    padded = export + b" " * (2 * DEFAULT_BODY_LIMIT.max_bytes)
    response = upload(logged_in_admin, padded)
    assert response.status_code == 302  # imported
    assert json.loads(padded)


def test_a_file_somewhat_over_1_mb_gets_the_import_message(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    response = upload(logged_in_admin, b" " * (MAX_UPLOAD_BYTES + 100_000))
    assert response.status_code == 200
    expected = translated(app, "The file is larger than 1 MB. Is it the right file?")
    assert expected in page_text(response)


def test_a_much_larger_upload_gets_413(logged_in_admin: StaffLogin) -> None:
    # A raw body: the test client would spool a multipart file of its own and leave it open.
    response = logged_in_admin.client.post(
        "/staff/hours/import",
        data=b" " * (3 * MAX_UPLOAD_BYTES),
        content_type="multipart/form-data; boundary=x",
    )
    assert response.status_code == 413


def test_other_staff_forms_keep_the_site_limit(logged_in_admin: StaffLogin) -> None:
    response = logged_in_admin.client.post(
        "/staff/notice", data={"text_nl": "x" * (DEFAULT_BODY_LIMIT.max_bytes + 1)}
    )
    assert response.status_code == 413
