"""Logging in (password, then a TOTP code; first-time enrolment) and out."""

from __future__ import annotations

import time
from typing import Literal

import segno
from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.db import db
from app.staff import bp
from app.staff.auth import (
    accept_totp,
    check_password,
    clear_failures,
    end_session,
    is_throttled,
    new_totp_secret,
    record_failure,
    start_session,
    totp_uri,
)
from app.staff.forms import CodeForm, LoginForm
from app.staff.models import StaffUser

SECOND_STEP_SECONDS = 300


def login_failed_message() -> str:
    # One message for a wrong password, an unknown user, a disabled account and a throttled
    # username: nothing here tells an attacker which usernames exist.
    return _("Login failed. Check your details. After 5 failed attempts, wait 15 minutes.")


def safe_next(target: str | None) -> str:
    """Only a path inside the staff area: never another site (no open redirect)."""
    if target and target.startswith("/staff/") and "//" not in target and "\\" not in target:
        return target
    return url_for("staff.dashboard")


def _pending_user() -> StaffUser | None:
    user_id, started = session.get("login_user"), session.get("login_started", 0)
    if not user_id or time.time() - started > SECOND_STEP_SECONDS:
        return None
    return db.session.get(StaffUser, user_id)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    """First step: username and password."""
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        username = form.username.data or ""
        user = check_password(username, form.password.data or "")
        if user is None:
            error = login_failed_message()
        else:
            session.clear()
            session["login_user"] = user.id
            session["login_name"] = username
            session["login_started"] = time.time()
            session["login_next"] = safe_next(request.args.get("next"))
            if user.totp_secret:
                return redirect(url_for("staff.login_code"))
            session["enroll_secret"] = new_totp_secret()
            return redirect(url_for("staff.login_enroll"))
    return render_template("staff/login.html", form=form, error=error)


def _finish_login(user: StaffUser) -> Response:
    target = session.get("login_next") or url_for("staff.dashboard")
    clear_failures(session.get("login_name", user.username))
    start_session(user)
    return redirect(safe_next(target))


def _second_step(template: str, stage: Literal["code", "enroll"]) -> str | Response:
    user = _pending_user()
    if user is None:
        session.clear()
        return redirect(url_for("staff.login"))
    name = session.get("login_name", user.username)
    secret = session.get("enroll_secret") if stage == "enroll" else user.totp_secret
    if not secret:
        return redirect(url_for("staff.login"))
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        if is_throttled(name):
            session.clear()
            return render_template(
                "staff/login.html", form=LoginForm(), error=login_failed_message()
            )
        if accept_totp(user, secret, form.code.data or ""):
            if stage == "enroll":
                user.totp_secret = secret
                db.session.commit()
            return _finish_login(user)
        record_failure(name)
        error = _("That code is not right, or was already used. Wait for the next code.")
    qr_svg = None
    if stage == "enroll":
        qr_svg = segno.make(totp_uri(user, secret), error="m").svg_inline(scale=4)
    return render_template(template, form=form, error=error, secret=secret, qr_svg=qr_svg)


@bp.route("/login/code", methods=["GET", "POST"])
def login_code() -> str | Response:
    """Second step: the code from the authenticator app."""
    return _second_step("staff/login_code.html", "code")


@bp.route("/login/enroll", methods=["GET", "POST"])
def login_enroll() -> str | Response:
    """First login: set up the authenticator app (mandatory) by scanning a QR code."""
    return _second_step("staff/login_enroll.html", "enroll")


@bp.post("/logout")
def logout() -> Response:
    """Log out (a POST with a CSRF token, so no other site can log someone out)."""
    end_session()
    return redirect(url_for("staff.login"))
