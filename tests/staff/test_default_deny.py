"""Default-deny, proven by walking the URL map: every staff endpoint but the login steps
sends an anonymous visitor to the login page, whatever the method, and every admin endpoint
refuses a logged-in staff member who is not an admin. A new route is covered automatically."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.staff import OPEN_ENDPOINTS
from tests.staff.conftest import Account, StaffLogin
from tests.staff.helpers import build_url, form_fields

# Endpoints that must exist, so a broken walk (an empty map, a renamed blueprint) cannot pass.
KNOWN = {
    "staff.dashboard",
    "staff.hours",
    "staff.hours_export",
    "staff.hours_import",
    "staff.notice",
    "staff.figures",
    "staff.figure_chart",
    "staff.directory",
    "staff.directory_edit",
    "staff.admin.users",
    "staff.admin.audit_log",
    "staff.lead.board",
    "staff.lead.board_frame",
}


def requests(app: Flask, prefix: str = "staff.") -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every GET and POST a staff rule accepts."""
    adapter = app.url_map.bind("localhost")
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(prefix) or rule.endpoint in OPEN_ENDPOINTS:
            continue
        url = build_url(adapter, rule)
        found.extend(
            (rule.endpoint, method, url)
            for method in sorted((rule.methods or set()) & {"GET", "POST"})
        )
    return found


def send(client: FlaskClient, method: str, url: str, token: str):  # type: ignore[no-untyped-def]
    if method == "GET":
        return client.get(url)
    # With a valid token, so it is the login gate that refuses, not the CSRF check.
    return client.post(url, data={"csrf_token": token})


def test_the_walk_covers_every_editor(app: Flask) -> None:
    walked = {endpoint for endpoint, _method, _url in requests(app)}
    assert walked >= KNOWN
    assert not walked & OPEN_ENDPOINTS


def test_anonymous_visitors_are_sent_to_the_login_page(app: Flask, client: FlaskClient) -> None:
    token = form_fields(client.get("/staff/login"), containing="csrf_token")["csrf_token"]
    for endpoint, method, url in requests(app):
        response = send(client, method, url, token)
        assert response.status_code == 302, (endpoint, method)
        location = urlsplit(response.headers["Location"])
        assert location.path == "/staff/login", (endpoint, method)


@pytest.mark.parametrize("endpoint", sorted(OPEN_ENDPOINTS))
def test_only_the_login_steps_are_open(app: Flask, client: FlaskClient, endpoint: str) -> None:
    url = app.url_map.bind("localhost").build(endpoint)
    # Without a login in progress the later steps send back to the first: nothing leaks.
    expected = 200 if endpoint == "staff.login" else 302
    response = client.get(url)
    assert response.status_code == expected
    if expected == 302:  # noqa: PLR2004
        assert response.headers["Location"] == "/staff/login"


def test_admin_pages_refuse_staff_who_are_not_admins(
    app: Flask, staff: StaffLogin, staff_member: Account
) -> None:
    staff.login(staff_member)
    token = form_fields(staff.client.get("/staff/"), containing="csrf_token")["csrf_token"]
    admin_requests = requests(app, prefix="staff.admin.")
    assert {endpoint for endpoint, _m, _u in admin_requests} >= {
        "staff.admin.users",
        "staff.admin.disable",
        "staff.admin.reset",
    }
    for endpoint, method, url in admin_requests:
        assert send(staff.client, method, url, token).status_code == 403, (endpoint, method)
    assert staff.client.get("/staff/").status_code == 200  # still logged in, just not allowed


def test_the_shift_lead_pages_refuse_staff_who_are_not_shift_leads(
    app: Flask, staff: StaffLogin, staff_member: Account
) -> None:
    """Every endpoint of the nested `lead` blueprint, found by walking the map: a new one is
    covered without anyone adding it here."""
    staff.login(staff_member)
    token = form_fields(staff.client.get("/staff/"), containing="csrf_token")["csrf_token"]
    lead_requests = requests(app, prefix="staff.lead.")
    assert {endpoint for endpoint, _m, _u in lead_requests} >= {"staff.lead.board"}
    for endpoint, method, url in lead_requests:
        assert send(staff.client, method, url, token).status_code == 403, (endpoint, method)


def test_admins_reach_the_admin_pages(logged_in_admin: StaffLogin) -> None:
    assert logged_in_admin.client.get("/staff/admin/users").status_code == 200
    assert logged_in_admin.client.get("/staff/admin/audit").status_code == 200
