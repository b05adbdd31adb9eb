"""The staff editors are valid HTML (W3C Nu checker) in every state staff meet: empty, with
errors, with a preview, after a conflict, and the public pages while a notice is up. They are
never stored or indexed, and need nothing the strict CSP forbids (inline script or style)."""

from __future__ import annotations

import re

from tests.html_check import html_errors
from tests.staff.conftest import StaffLogin
from tests.staff.helpers import form_fields
from tests.test_headers import assert_strict_csp


def pages(staff: StaffLogin) -> dict[str, bytes]:
    client = staff.client
    found = {
        url: client.get(url).data
        for url in (
            "/staff/",
            "/staff/login",
            "/staff/hours",
            "/staff/hours/import",
            "/staff/notice",
            "/staff/directory",
            "/staff/directory/helpline",
            "/staff/admin/audit",
            "/staff/figures",
            "/staff/figures?period=month",
            "/staff/board",
            "/staff/board/frame",
            "/staff/admin/users",
        )
    }
    hours = form_fields(client.get("/staff/hours"))
    bad = {**hours, "channel_chat-mon": "9 to 5", "exceptions-0-first": "2026-02-30"}
    found["hours with errors"] = client.post("/staff/hours", data=bad).data
    preview = {**hours, "action": "preview", "channel_phone-sun": "02:30-04:00"}
    found["hours preview"] = client.post("/staff/hours", data=preview).data
    found["hours conflict"] = client.post("/staff/hours", data={**hours, "version": "0"}).data
    notice = form_fields(client.get("/staff/notice"))
    text = {"text_nl": "<p>Chat <strong>dicht</strong></p>", "text_en": "Closed"}
    found["notice with errors"] = client.post("/staff/notice", data={**notice, "text_en": ""}).data
    client.post("/staff/notice", data={**notice, **text})
    found["public page with notice"] = client.get("/nl/").data
    found["notice conflict"] = client.post("/staff/notice", data={**notice, **text}).data
    contact = form_fields(client.get("/staff/directory/helpline"))
    bad_contact = {**contact, "phone": "x", "url": "http://x"}
    found["contact with errors"] = client.post("/staff/directory/helpline", data=bad_contact).data
    return found


def test_staff_pages_are_valid_html(logged_in_admin: StaffLogin) -> None:
    found = pages(logged_in_admin)
    assert len(found) == 20
    assert html_errors(found) == []


EDITORS = ("/staff/hours", "/staff/hours/import", "/staff/notice", "/staff/directory")


def test_editors_are_private_and_need_no_inline_code(logged_in_admin: StaffLogin) -> None:
    for url in (*EDITORS, "/staff/directory/helpline", "/staff/hours/export"):
        response = logged_in_admin.client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
        assert response.headers["X-Robots-Tag"] == "noindex, nofollow", url
        assert_strict_csp(response.headers["Content-Security-Policy"])
        page = response.get_data(as_text=True)
        assert " style=" not in page, url
        assert "<style" not in page, url
        assert "<script" not in page, url
        assert not re.search(r"<[^>]*\son[a-z]+=", page), url  # no event handler attributes
