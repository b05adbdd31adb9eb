"""Recovery codes: ten, shown once right after the authenticator is set up, stored only as
keyed hashes, each good for one login instead of a TOTP code, throttled like TOTP codes, and
gone after an admin reset."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from app.db import db
from app.staff.auth import MAX_FAILURES, find_user
from app.staff.recovery import CODE_COUNT, RecoveryCode
from tests.staff.conftest import Account, Clock, StaffLogin, create_account, csrf_token, totp_code
from tests.staff.helpers import page_text, translated
from tests.staff.test_one_time_password import reset


def enrol_with_codes(
    app: Flask, login: StaffLogin, clock: Clock, name: str
) -> tuple[Account, list[str]]:
    """A first login of a new account; the account and the recovery codes it was shown."""
    account = create_account(app, name, enrolled=False)
    location = login.password_step(account)
    page = login.client.get(location).get_data(as_text=True)
    secret = page.split('class="secret">', 1)[1].split("<", 1)[0]
    response = login.post(location, {"code": totp_code(secret, clock)})
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    codes = re.findall(r"<li><code>([^<]+)</code></li>", response.get_data(as_text=True))
    login.client.post("/staff/logout", data={"csrf_token": csrf_token(login.client, "/staff/")})
    return Account(name, account.password, secret), codes


def stored_hashes(app: Flask) -> list[str]:
    with app.app_context():
        return [row.code_hash for row in db.session.query(RecoveryCode)]


def with_recovery_code(login: StaffLogin, account: Account, code: str) -> TestResponse:
    assert login.password_step(account).endswith("/staff/login/code")
    return login.post("/staff/login/recovery", {"code": code})


@pytest.fixture
def enrolled(app: Flask, staff: StaffLogin, clock: Clock) -> tuple[Account, list[str]]:
    return enrol_with_codes(app, staff, clock, "with.codes")


def test_enrolment_shows_recovery_codes_once_and_stores_only_hashes(
    app: Flask, enrolled: tuple[Account, list[str]]
) -> None:
    _account, codes = enrolled
    assert len(set(codes)) == CODE_COUNT
    hashes = stored_hashes(app)
    assert len(hashes) == CODE_COUNT
    plain = {code.replace("-", "") for code in codes} | set(codes)
    assert not plain & set(hashes)
    assert not any(code.replace("-", "") in value for code in codes for value in hashes)


def test_a_recovery_code_logs_in_once_instead_of_a_totp_code(
    app: Flask, staff: StaffLogin, enrolled: tuple[Account, list[str]]
) -> None:
    account, codes = enrolled
    response = with_recovery_code(staff, account, codes[0].upper().replace("-", " "))
    assert response.headers["Location"] == "/staff/"
    dashboard = staff.client.get("/staff/")
    assert dashboard.status_code == 200
    assert f" {CODE_COUNT - 1} " in page_text(dashboard)  # how many are left
    staff.client.post("/staff/logout", data={"csrf_token": csrf_token(staff.client, "/staff/")})
    again = with_recovery_code(staff, account, codes[0])
    assert again.status_code == 200
    assert translated(app, "That recovery code is not right, or was already used.") in page_text(
        again
    )
    assert with_recovery_code(staff, account, codes[1]).headers["Location"] == "/staff/"


def test_recovery_codes_are_throttled_like_totp_codes(
    app: Flask, staff: StaffLogin, enrolled: tuple[Account, list[str]]
) -> None:
    account, codes = enrolled
    assert staff.password_step(account).endswith("/staff/login/code")
    for n in range(MAX_FAILURES):  # the right password took no place
        wrong = staff.post("/staff/login/recovery", {"code": f"wron-gcod-e{n:03d}"})
        assert wrong.status_code == 200
    refused = staff.post("/staff/login/recovery", {"code": codes[0]}, form_url="/staff/login")
    assert "Location" not in refused.headers  # the login page again, not logged in
    assert staff.client.get("/staff/").status_code == 302
    assert len(stored_hashes(app)) == CODE_COUNT  # the refused code was not used up


def test_an_admin_reset_clears_the_recovery_codes(
    app: Flask,
    logged_in_admin: StaffLogin,
    clock: Clock,
) -> None:
    other = StaffLogin(app.test_client(), clock)
    account, codes = enrol_with_codes(app, other, clock, "loses.phone")
    reset(app, logged_in_admin, account)
    assert stored_hashes(app) == []
    with app.app_context():
        user = find_user(account.username)
        assert user is not None
        assert user.totp_secret is None
