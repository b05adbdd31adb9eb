"""Logging in: password then TOTP, enrolment, throttle, fixation, logout, open redirects."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from app.staff.auth import MAX_FAILURES
from tests.staff.conftest import (
    Account,
    Clock,
    StaffLogin,
    create_account,
    csrf_token,
    totp_code,
)


def test_login_with_password_and_code(staff: StaffLogin, admin: Account) -> None:
    staff.login(admin)
    page = staff.client.get("/staff/")
    assert page.status_code == 200
    assert "admin.one" in page.get_data(as_text=True)


def test_staff_cookie_is_scoped_to_the_staff_path(client: FlaskClient, admin: Account) -> None:
    response = client.get("/staff/login")
    cookie = response.headers["Set-Cookie"]
    assert "Path=/staff" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "Secure" in cookie
    public = client.get("/nl/")
    assert "Set-Cookie" not in public.headers


def test_wrong_code_and_reused_code_are_refused(
    staff: StaffLogin, admin: Account, clock: Clock
) -> None:
    location = staff.password_step(admin)
    token = csrf_token(staff.client, location)
    wrong = staff.client.post(location, data={"csrf_token": token, "code": "000000"})
    assert wrong.status_code == 200
    code = totp_code(admin.secret, clock)
    assert staff.client.post(location, data={"csrf_token": token, "code": code}).status_code == 302
    staff.client.post("/staff/logout", data={"csrf_token": csrf_token(staff.client, "/staff/")})
    location = staff.password_step(admin)
    token = csrf_token(staff.client, location)
    reused = staff.client.post(location, data={"csrf_token": token, "code": code})
    assert reused.status_code == 200
    assert "already used" in reused.get_data(as_text=True) or "al gebruikt" in reused.get_data(
        as_text=True
    )


def test_first_login_enrols_the_authenticator(app: Flask, staff: StaffLogin, clock: Clock) -> None:
    account = create_account(app, "new.person", enrolled=False)
    location = staff.password_step(account)
    assert location.endswith("/staff/login/enroll")
    page = staff.client.get(location).get_data(as_text=True)
    assert "<svg" in page
    secret = page.split('class="secret">', 1)[1].split("<", 1)[0]
    token = csrf_token(staff.client, location)
    response = staff.client.post(
        location, data={"csrf_token": token, "code": totp_code(secret, clock)}
    )
    assert response.status_code == 200  # the recovery codes, shown this once
    assert 'href="/staff/"' in response.get_data(as_text=True)
    assert staff.client.get("/staff/").status_code == 200


def test_throttle_is_the_same_for_known_and_unknown_users(
    staff: StaffLogin, client: FlaskClient, admin: Account
) -> None:
    ghost = Account("nobody.here", "x" * 20, "")
    messages = set()
    for account in (admin, ghost):
        for _attempt in range(MAX_FAILURES):
            staff.password_step(account, password="wrong password entirely")
        token = csrf_token(client, "/staff/login")
        response = client.post(
            "/staff/login",
            data={"csrf_token": token, "username": account.username, "password": admin.password},
        )
        assert response.status_code == 200  # even the right password is refused now
        messages.add(response.get_data(as_text=True).split('role="alert">', 1)[1].split("<")[0])
    assert len(messages) == 1


def test_login_gives_a_new_session(staff: StaffLogin, admin: Account) -> None:
    name = staff.client.application.config["SESSION_COOKIE_NAME"]
    assert name == "__Secure-staff"  # the prefix browsers enforce for Secure cookies
    staff.client.get("/staff/login")
    before = staff.client.get_cookie(name, path="/staff")
    staff.login(admin)
    after = staff.client.get_cookie(name, path="/staff")
    assert before is not None
    assert after is not None
    assert before.value != after.value


def test_logout_is_a_post_and_ends_the_session(logged_in_admin: StaffLogin) -> None:
    client = logged_in_admin.client
    assert client.get("/staff/logout").status_code == 405
    token = csrf_token(client, "/staff/")
    client.post("/staff/logout", data={"csrf_token": token})
    assert client.get("/staff/").status_code == 302


def test_next_never_leads_off_the_staff_area(staff: StaffLogin, admin: Account) -> None:
    for target, expected in [
        ("/staff/password", "/staff/password"),
        ("https://evil.example/", "/staff/"),
        ("//evil.example/staff/", "/staff/"),
        ("/staff/..//evil.example", "/staff/"),
        ("/\\evil.example", "/staff/"),
    ]:
        staff.client.get("/staff/login")
        token = csrf_token(staff.client, "/staff/login")
        staff.client.post(
            "/staff/login?next=" + target,
            data={"csrf_token": token, "username": admin.username, "password": admin.password},
        )
        token = csrf_token(staff.client, "/staff/login/code")
        staff.clock.advance(seconds=30)
        response = staff.client.post(
            "/staff/login/code",
            data={"csrf_token": token, "code": totp_code(admin.secret, staff.clock)},
        )
        assert response.headers["Location"] == expected, target
        staff.client.post("/staff/logout", data={"csrf_token": csrf_token(staff.client, "/staff/")})


def decoded_cookie(client: FlaskClient) -> dict[str, object]:
    """The staff cookie's content, decoded the way anyone holding a copy can (it is signed,
    not encrypted)."""
    app = client.application
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"], path="/staff")
    assert cookie is not None
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    content: dict[str, object] = serializer.loads(cookie.value)
    return content


def test_the_cookie_holds_no_authenticator_secret_while_enrolling(
    app: Flask, staff: StaffLogin, clock: Clock
) -> None:
    account = create_account(app, "new.person", enrolled=False)
    location = staff.password_step(account)
    page = staff.client.get(location).get_data(as_text=True)
    secret = page.split('class="secret">', 1)[1].split("<", 1)[0]
    content = decoded_cookie(staff.client)
    assert set(content) <= {"sid", "csrf_token"}  # a random id, and Flask-WTF's token
    assert secret not in repr(content)
    copied = dict(content)
    token = csrf_token(staff.client, location)
    staff.client.post(location, data={"csrf_token": token, "code": totp_code(secret, clock)})
    assert secret not in repr(decoded_cookie(staff.client))
    # A copy of the cookie taken during enrolment is worthless afterwards: its row is gone.
    thief = app.test_client()
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    name = app.config["SESSION_COOKIE_NAME"]
    thief.set_cookie(name, serializer.dumps(copied), path="/staff")
    assert thief.get(location).headers["Location"] == "/staff/login"
    assert thief.get("/staff/").status_code == 302


def test_enrolment_names_an_example_app(app: Flask, staff: StaffLogin) -> None:
    account = create_account(app, "new.person", enrolled=False)
    page = staff.client.get(staff.password_step(account)).get_data(as_text=True)
    assert "FreeOTP" in page
