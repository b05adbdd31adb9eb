"""A password an admin chose (a reset) works for one login, even two at the same moment, and
that login must set a new password before any other staff page opens (default-deny covers
this state too)."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from flask import Flask

from app.staff.auth import find_user
from tests.staff.conftest import Account, Clock, StaffLogin, csrf_token, totp_code
from tests.staff.helpers import page_text
from tests.staff.test_default_deny import requests, send

NEW_PASSWORD = "my very own sentence for logging in 9"
PARALLEL = 8


def reset(app: Flask, admin: StaffLogin, account: Account) -> Account:
    """Reset `account` as an admin does; the account with its one-time password."""
    with app.app_context():
        user = find_user(account.username)
        assert user is not None
        action = f"/staff/admin/users/{user.id}/reset"
    response = admin.post(action, {}, form_url="/staff/admin/users")
    assert response.status_code == 200
    temporary = response.get_data(as_text=True).split('class="secret">', 1)[1].split("<", 1)[0]
    return Account(account.username, temporary, "")


def enrol(login: StaffLogin, clock: Clock) -> str:
    """The enrolment step after a reset; returns where the recovery codes page continues to."""
    page = login.client.get("/staff/login/enroll").get_data(as_text=True)
    secret = page.split('class="secret">', 1)[1].split("<", 1)[0]
    clock.advance(seconds=30)
    response = login.post("/staff/login/enroll", {"code": totp_code(secret, clock)})
    assert response.status_code == 200
    match = re.search(r'<a class="button" href="([^"]+)"', response.get_data(as_text=True))
    assert match
    return match.group(1)


def test_a_one_time_password_works_for_one_login_only(
    app: Flask, logged_in_admin: StaffLogin, staff_member: Account, clock: Clock
) -> None:
    fresh = reset(app, logged_in_admin, staff_member)
    first = StaffLogin(app.test_client(), clock)
    assert first.password_step(fresh).endswith("/staff/login/enroll")
    second = StaffLogin(app.test_client(), clock)
    assert second.password_step(fresh) == ""  # even though the first never finished


def test_two_logins_at_once_with_one_one_time_password_cannot_both_pass(
    app: Flask, logged_in_admin: StaffLogin, staff_member: Account, clock: Clock
) -> None:
    fresh = reset(app, logged_in_admin, staff_member)
    logins = [StaffLogin(app.test_client(), clock) for _ in range(PARALLEL)]
    tokens = [csrf_token(login.client, "/staff/login") for login in logins]
    barrier = threading.Barrier(PARALLEL)

    def attempt(n: int) -> str:
        barrier.wait()
        form = {"csrf_token": tokens[n], "username": fresh.username, "password": fresh.password}
        return logins[n].client.post("/staff/login", data=form).headers.get("Location", "")

    with ThreadPoolExecutor(PARALLEL) as pool:
        locations = list(pool.map(attempt, range(PARALLEL)))
    assert sum(location.endswith("/staff/login/enroll") for location in locations) == 1


def test_the_login_with_a_one_time_password_must_choose_a_new_one_before_any_staff_page(
    app: Flask, logged_in_admin: StaffLogin, staff_member: Account, clock: Clock
) -> None:
    fresh = reset(app, logged_in_admin, staff_member)
    login = StaffLogin(app.test_client(), clock)
    login.password_step(fresh)
    assert enrol(login, clock) == "/staff/login/new-password"
    token = csrf_token(login.client, "/staff/login/new-password")
    for endpoint, method, url in requests(app):
        response = send(login.client, method, url, token)
        assert response.status_code == 302, (endpoint, method)
        assert urlsplit(response.headers["Location"]).path == "/staff/login/new-password", endpoint
    short = login.post("/staff/login/new-password", {"new": "too short", "repeat": "too short"})
    assert short.status_code == 200
    assert "14" in page_text(short)
    done = login.post("/staff/login/new-password", {"new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert done.headers["Location"] == "/staff/"
    assert login.client.get("/staff/").status_code == 200
    again = StaffLogin(app.test_client(), clock)
    assert again.password_step(fresh) == ""
    assert again.password_step(Account(fresh.username, NEW_PASSWORD, "")).endswith("/login/code")


def test_a_new_account_s_first_password_works_once_too(
    app: Flask, logged_in_admin: StaffLogin, clock: Clock
) -> None:
    first = "a first password only the admin knows 3"
    response = logged_in_admin.post(
        "/staff/admin/users", {"username": "new.colleague", "password": first}
    )
    assert response.status_code == 302
    account = Account("new.colleague", first, "")
    login = StaffLogin(app.test_client(), clock)
    assert login.password_step(account).endswith("/staff/login/enroll")
    assert enrol(login, clock) == "/staff/login/new-password"
    assert StaffLogin(app.test_client(), clock).password_step(account) == ""
