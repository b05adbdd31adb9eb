"""The staff home page and a staff member's own password."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.db import db
from app.hours.store import is_to_confirm
from app.staff import audit
from app.staff.auth import (
    check_password,
    current_user,
    end_all_sessions,
    hash_password,
    password_problems,
    start_session,
)
from app.staff.blueprint import bp
from app.staff.forms import PasswordChangeForm


@bp.get("/")
def dashboard() -> str:
    """What staff can do, and what needs attention (hours still to confirm)."""
    return render_template("staff/dashboard.html", hours_to_confirm=is_to_confirm(db.session))


@bp.route("/password", methods=["GET", "POST"])
def password() -> str | Response:
    """Change your own password; every other session of yours ends."""
    user = current_user()
    assert user is not None  # noqa: S101 (the blueprint's gate guarantees a user)
    form = PasswordChangeForm()
    problems: list[str] = []
    if form.validate_on_submit():
        if check_password(user.username, form.current.data or "") is None:
            problems.append(_("Your current password is not right."))
        else:
            problems = password_problems(form.new.data or "", user.username)
        if not problems:
            user.password_hash = hash_password(form.new.data or "")
            audit.record("password changed", user.username)
            db.session.commit()
            end_all_sessions(user)
            start_session(user)
            flash(_("Your password is changed. You were logged out everywhere else."))
            return redirect(url_for("staff.dashboard"))
    return render_template("staff/password.html", form=form, problems=problems)
