"""Staff sessions end when they should: after 30 idle minutes, after 12 hours whatever happens,
everywhere at once on a password change or when an admin disables or resets an account."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.db import db
from app.staff.accounts import StaffSession
from app.staff.auth import IDLE_TIMEOUT, SESSION_LIFETIME, find_user
from tests.staff.conftest import Account, Clock, StaffLogin, csrf_token
from tests.staff.helpers import form_fields, page_text

NEW_PASSWORD = "another long and unusual sentence 7"


def logged_in(client: FlaskClient) -> bool:
    response = client.get("/staff/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


@pytest.fixture
def elsewhere(app: Flask, clock: Clock) -> StaffLogin:
    """A second browser."""
    return StaffLogin(app.test_client(), clock)


def user_id(app: Flask, account: Account) -> int:
    with app.app_context():
        user = find_user(account.username)
        assert user is not None
        return user.id


def sessions(app: Flask) -> int:
    with app.app_context():
        return db.session.query(StaffSession).count()


def test_idle_timeout_is_30_minutes(app: Flask, logged_in_admin: StaffLogin, clock: Clock) -> None:
    assert IDLE_TIMEOUT.total_seconds() == 30 * 60
    client = logged_in_admin.client
    clock.advance(minutes=29)
    assert logged_in(client)
    clock.advance(minutes=29)  # each request counts as activity
    assert logged_in(client)
    clock.advance(minutes=30, seconds=1)
    assert not logged_in(client)
    assert sessions(app) == 0  # the session is gone, not just refused
    clock.advance(minutes=-60)
    assert not logged_in(client)  # and stays gone


def test_activity_does_not_stretch_a_session_beyond_12_hours(
    logged_in_admin: StaffLogin, clock: Clock
) -> None:
    assert SESSION_LIFETIME.total_seconds() == 12 * 3600
    client = logged_in_admin.client
    for _step in range(int(SESSION_LIFETIME / (IDLE_TIMEOUT / 2))):
        clock.advance(minutes=15)
        assert logged_in(client)
    clock.advance(minutes=1)
    assert not logged_in(client)


def test_a_password_change_ends_every_other_session(
    app: Flask, staff: StaffLogin, elsewhere: StaffLogin, staff_member: Account
) -> None:
    staff.login(staff_member)
    elsewhere.login(staff_member)
    response = staff.post(
        "/staff/password",
        {"current": staff_member.password, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert logged_in(staff.client)  # the one who changed it, with a new session
    assert not logged_in(elsewhere.client)
    assert sessions(app) == 1
    assert elsewhere.password_step(staff_member) == ""  # the old password no longer works


def test_disabling_an_account_ends_its_sessions(
    app: Flask,
    logged_in_admin: StaffLogin,
    elsewhere: StaffLogin,
    staff_member: Account,
) -> None:
    elsewhere.login(staff_member)
    action = f"/staff/admin/users/{user_id(app, staff_member)}/disable"
    assert f'action="{action}"' in page_text(logged_in_admin.client.get("/staff/admin/users"))
    token = csrf_token(logged_in_admin.client, "/staff/admin/users")
    response = logged_in_admin.client.post(action, data={"csrf_token": token})
    assert response.status_code == 302
    assert not logged_in(elsewhere.client)
    assert logged_in(logged_in_admin.client)
    assert elsewhere.password_step(staff_member) == ""  # and cannot log in again


def test_an_admin_reset_ends_sessions_and_requires_a_new_authenticator(
    app: Flask,
    logged_in_admin: StaffLogin,
    elsewhere: StaffLogin,
    staff_member: Account,
) -> None:
    elsewhere.login(staff_member)
    action = f"/staff/admin/users/{user_id(app, staff_member)}/reset"
    token = csrf_token(logged_in_admin.client, "/staff/admin/users")
    response = logged_in_admin.client.post(action, data={"csrf_token": token})
    assert response.status_code == 200
    temporary = response.get_data(as_text=True).split('class="secret">', 1)[1].split("<", 1)[0]
    assert not logged_in(elsewhere.client)
    fresh = Account(staff_member.username, temporary, staff_member.secret)
    assert elsewhere.password_step(fresh).endswith("/staff/login/enroll")
    assert StaffLogin(app.test_client(), elsewhere.clock).password_step(staff_member) == ""


def test_logout_ends_only_this_session(
    app: Flask, staff: StaffLogin, elsewhere: StaffLogin, staff_member: Account
) -> None:
    staff.login(staff_member)
    elsewhere.login(staff_member)
    token = form_fields(staff.client.get("/staff/"), containing="csrf_token")["csrf_token"]
    staff.client.post("/staff/logout", data={"csrf_token": token})
    assert not logged_in(staff.client)
    assert logged_in(elsewhere.client)
    assert sessions(app) == 1
