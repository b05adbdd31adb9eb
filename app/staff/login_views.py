"""Logging in and out: password, then a TOTP code (or a recovery code); at the first login the
authenticator is set up and recovery codes are shown once; after a one-time password a new
password is chosen before anything else.

Which step a login is at, the authenticator secret being set up and where to go afterwards are
kept in the session row (app/staff/auth.py): the cookie holds only a random id.
"""

from __future__ import annotations

from collections.abc import Callable

import segno
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app.db import db
from app.staff import audit, recovery
from app.staff.accounts import StaffSession, StaffUser
from app.staff.auth import (
    Stage,
    accept_totp,
    check_password,
    clear_failures,
    end_session,
    hash_password,
    login_in_progress,
    new_totp_secret,
    password_problems,
    purge_expired,
    reserve_attempt,
    start_session,
    totp_uri,
)
from app.staff.blueprint import bp
from app.staff.forms import CodeForm, LoginForm, NewPasswordForm, RecoveryCodeForm

MAX_NEXT = 512  # the length of StaffSession.next_path


def login_failed_message() -> str:
    # One message for a wrong password, an unknown user, a disabled account and a throttled
    # username: nothing here tells an attacker which usernames exist.
    return _("Login failed. Check your details. After 5 failed attempts, wait 15 minutes.")


def safe_next(target: str | None) -> str:
    """Only a path inside the staff area: never another site (no open redirect)."""
    if (
        target
        and target.startswith("/staff/")
        and "//" not in target
        and "\\" not in target
        and len(target) <= MAX_NEXT
    ):
        return target
    return url_for("staff.dashboard")


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    """First step: username and password."""
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        purge_expired()
        user = check_password(form.username.data or "", form.password.data or "")
        if user is None:
            error = login_failed_message()
        else:
            next_path = safe_next(request.args.get("next"))
            if user.totp_secret:
                start_session(user, Stage.CODE, next_path=next_path)
                return redirect(url_for("staff.login_code"))
            secret = new_totp_secret()
            start_session(user, Stage.ENROLL, enroll_secret=secret, next_path=next_path)
            return redirect(url_for("staff.login_enroll"))
    return render_template("staff/login.html", form=form, error=error)


def _throttled_out() -> str:
    """Too many attempts: this login ends, and the password step is throttled just the same."""
    end_session()
    return render_template("staff/login.html", form=LoginForm(), error=login_failed_message())


def _second_step_done(user: StaffUser, row: StaffSession) -> str:
    """Both factors are right: log in, or first go and choose a new password after a one-time
    one. Returns where to go next."""
    target = safe_next(row.next_path)
    clear_failures(user.username)
    if user.must_change_password:
        start_session(user, Stage.NEW_PASSWORD, next_path=target)
        return url_for("staff.login_new_password")
    start_session(user)
    return target


def _second_step(
    form: FlaskForm, accept: Callable[[StaffUser, str], bool], error: str, *, recovery: bool
) -> tuple[str | Response, StaffUser | None]:
    """The second login step both ways in share: the step must be in progress, each attempt is
    throttled before it is checked, and a right one ends the step. Returns the answer, and the
    user when their code was accepted (the caller then adds what is particular to its way)."""
    pending = login_in_progress(Stage.CODE)
    if pending is None:
        return redirect(url_for("staff.login")), None
    row, user = pending
    message = None
    if form.validate_on_submit():
        if not reserve_attempt(user.username):
            return _throttled_out(), None
        if accept(user, form.code.data or ""):
            return redirect(_second_step_done(user, row)), user
        message = error
    page = render_template(
        "staff/login_second_step.html", form=form, error=message, recovery=recovery
    )
    return page, None


@bp.route("/login/code", methods=["GET", "POST"])
def login_code() -> str | Response:
    """Second step: the code from the authenticator app."""
    answer, _user = _second_step(
        CodeForm(),
        lambda user, code: accept_totp(user, user.totp_secret or "", code),
        _("That code is not right, or was already used. Wait for the next code."),
        recovery=False,
    )
    return answer


@bp.route("/login/recovery", methods=["GET", "POST"])
def login_recovery() -> str | Response:
    """Second step without the authenticator app: one recovery code, used up by this login."""
    answer, user = _second_step(
        RecoveryCodeForm(),
        recovery.use_code,
        _("That recovery code is not right, or was already used."),
        recovery=True,
    )
    if user is not None:
        left = recovery.remaining(user)
        flash(
            ngettext(
                "You logged in with a recovery code. You have %(num)d code left.",
                "You logged in with a recovery code. You have %(num)d codes left.",
                left,
            )
            + " "
            + _("Lost your authenticator app? Ask an administrator to reset your 2FA.")
        )
    return answer


@bp.route("/login/enroll", methods=["GET", "POST"])
def login_enroll() -> str | Response:
    """First login: set up the authenticator app (mandatory) by scanning a QR code; then the
    recovery codes, shown this once."""
    pending = login_in_progress(Stage.ENROLL)
    if pending is None or not pending[0].enroll_secret:
        return redirect(url_for("staff.login"))
    row, user = pending
    secret = pending[0].enroll_secret
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        if not reserve_attempt(user.username):
            return _throttled_out()
        if accept_totp(user, secret, form.code.data or ""):
            user.totp_secret = secret
            db.session.commit()
            codes = recovery.new_codes(user)
            destination = _second_step_done(user, row)
            return render_template(
                "staff/recovery_codes.html", codes=codes, destination=destination
            )
        error = _("That code is not right, or was already used. Wait for the next code.")
    qr_svg = segno.make(totp_uri(user, secret), error="m").svg_inline(scale=4)
    return render_template(
        "staff/login_enroll.html", form=form, error=error, secret=secret, qr_svg=qr_svg
    )


@bp.route("/login/new-password", methods=["GET", "POST"])
def login_new_password() -> str | Response:
    """After a one-time password: choose your own. No other staff page opens before that."""
    pending = login_in_progress(Stage.NEW_PASSWORD)
    if pending is None:
        return redirect(url_for("staff.login"))
    row, user = pending
    form = NewPasswordForm()
    problems: list[str] = []
    if form.validate_on_submit():
        problems = password_problems(form.new.data or "", user.username)
        if not problems:
            target = safe_next(row.next_path)
            user.password_hash = hash_password(form.new.data or "")
            user.must_change_password = False
            audit.record("password changed", user.username, actor=user.username)
            db.session.commit()
            start_session(user)
            return redirect(target)
    return render_template("staff/login_new_password.html", form=form, problems=problems)


@bp.post("/logout")
def logout() -> Response:
    """Log out (a POST with a CSRF token, so no other site can log someone out)."""
    end_session()
    return redirect(url_for("staff.login"))
