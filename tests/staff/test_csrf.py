"""Every staff form needs its CSRF token: a POST without one is refused with 400, changes
nothing, and ends the session, since the request may not have been the staff member's own."""

from __future__ import annotations

from flask import Flask

from app.db import db
from app.staff.accounts import StaffSession
from app.staff.audit import AuditEntry
from tests.staff.conftest import Account, StaffLogin
from tests.staff.helpers import build_url


def post_urls(app: Flask) -> list[str]:
    adapter = app.url_map.bind("localhost")
    return [
        build_url(adapter, rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/staff") and "POST" in (rule.methods or set())
    ]


def test_every_staff_form_is_covered(app: Flask) -> None:
    urls = set(post_urls(app))
    assert {"/staff/login", "/staff/logout", "/staff/hours", "/staff/notice"} <= urls
    assert {"/staff/hours/import", "/staff/directory/x", "/staff/admin/users/1/reset"} <= urls


def test_a_post_without_a_token_is_refused_and_ends_the_session(
    app: Flask, staff: StaffLogin, admin: Account
) -> None:
    for url in post_urls(app):
        staff.login(admin)
        assert staff.client.get("/staff/").status_code == 200
        response = staff.client.post(url, data={"text_nl": "x", "text_en": "y", "phone": "1"})
        assert response.status_code == 400, url
        assert staff.client.get("/staff/").status_code == 302, url  # logged out
    with app.app_context():
        assert db.session.query(StaffSession).count() == 0
        assert db.session.query(AuditEntry).count() == 0  # and nothing changed


def test_a_wrong_token_is_refused_too(logged_in_admin: StaffLogin) -> None:
    response = logged_in_admin.client.post(
        "/staff/notice", data={"csrf_token": "forged", "text_nl": "x", "text_en": "y"}
    )
    assert response.status_code == 400
    assert logged_in_admin.client.get("/staff/").status_code == 302
