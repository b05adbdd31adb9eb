"""Staff fixtures: accounts with real argon2 hashes and TOTP secrets, and a logged-in client."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import clock as clock_module
from app.db import db
from app.staff.accounts import StaffUser
from app.staff.auth import hash_password
from tests.clock import Clock

PASSWORD = "a long and unusual passphrase 42"


@dataclass
class Account:
    username: str
    password: str
    secret: str


def create_account(
    app: Flask,
    username: str,
    *,
    admin: bool = False,
    enrolled: bool = True,
    shift_lead: bool = False,
) -> Account:
    secret = pyotp.random_base32()
    with app.app_context():
        db.session.add(
            StaffUser(
                username=username,
                password_hash=hash_password(PASSWORD),
                totp_secret=secret if enrolled else None,
                is_admin=admin,
                is_shift_lead=shift_lead,
                created_at=clock_module.now(),
            )
        )
        db.session.commit()
    return Account(username, PASSWORD, secret)


def csrf_token(client: FlaskClient, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, f"no CSRF token on {url}"
    return match.group(1)


@pytest.fixture(autouse=True)
def clock(clock: Clock) -> Clock:
    """Every staff test runs on the stopped clock: TOTP steps and timeouts move by hand."""
    return clock


def totp_code(secret: str, clock: Clock) -> str:
    return pyotp.TOTP(secret).at(clock())


class StaffLogin:
    """Logs a test client in the way a browser does: password, then a fresh TOTP code."""

    def __init__(self, client: FlaskClient, clock: Clock) -> None:
        self.client = client
        self.clock = clock

    def password_step(self, account: Account, password: str | None = None) -> str:
        token = csrf_token(self.client, "/staff/login")
        response = self.client.post(
            "/staff/login",
            data={
                "csrf_token": token,
                "username": account.username,
                "password": password or account.password,
            },
        )
        return response.headers.get("Location", "")

    def login(self, account: Account) -> None:
        location = self.password_step(account)
        assert location.endswith("/staff/login/code"), location
        token = csrf_token(self.client, location)
        # Each login uses a later time step, since a used step is refused (no code reuse).
        self.clock.advance(seconds=30)
        code = totp_code(account.secret, self.clock)
        response = self.client.post(location, data={"csrf_token": token, "code": code})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]

    def post(self, url: str, data: dict[str, str], form_url: str | None = None):  # type: ignore[no-untyped-def]
        token = csrf_token(self.client, form_url or url)
        return self.client.post(url, data={"csrf_token": token, **data})


@pytest.fixture
def admin(app: Flask) -> Account:
    return create_account(app, "admin.one", admin=True)


@pytest.fixture
def staff_member(app: Flask) -> Account:
    return create_account(app, "staff.two")


@pytest.fixture
def staff(client: FlaskClient, clock: Clock) -> StaffLogin:
    return StaffLogin(client, clock)


@pytest.fixture
def logged_in_admin(staff: StaffLogin, admin: Account) -> StaffLogin:
    staff.login(admin)
    return staff
