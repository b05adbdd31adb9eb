"""Admins manage staff accounts: add, disable, enable, reset password and 2FA."""

from __future__ import annotations

import secrets

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from app import clock
from app.db import db
from app.staff import audit, recovery
from app.staff.accounts import StaffUser
from app.staff.audit import AuditEntry
from app.staff.audit_view import audit_rows
from app.staff.auth import (
    current_user,
    end_all_sessions,
    find_user,
    hash_password,
    password_problems,
)
from app.staff.blueprint import admin_bp
from app.staff.forms import MAX_DB_INTEGER, ActionForm, NewUserForm

AUDIT_PAGE = 200
# Larger ids cannot exist and would overflow the database driver: they are a plain 404.
USER_ID = f"int(max={MAX_DB_INTEGER}):user_id"


@admin_bp.route("/users", methods=["GET", "POST"])
def users() -> str | Response:
    """All staff accounts, and a form to add one."""
    form = NewUserForm()
    problems: list[str] = []
    if form.validate_on_submit():
        username = (form.username.data or "").strip()
        password = form.password.data or ""
        problems = password_problems(password, username)
        if find_user(username):
            problems.append(_("This username is taken."))
        if not problems:
            db.session.add(
                StaffUser(
                    username=username,
                    password_hash=hash_password(password),
                    is_admin=bool(form.is_admin.data),
                    is_shift_lead=bool(form.is_shift_lead.data),
                    must_change_password=True,  # the admin knows it: it works for one login
                    created_at=clock.now(),
                )
            )
            roles = {"admin": bool(form.is_admin.data), "shift_lead": bool(form.is_shift_lead.data)}
            audit.record("user added", username, after=roles)
            db.session.commit()
            flash(_("%(name)s can now log in and set up their authenticator app.", name=username))
            return redirect(url_for("staff.admin.users"))
    everyone = db.session.scalars(select(StaffUser).order_by(StaffUser.username)).all()
    return render_template(
        "staff/users.html", form=form, problems=problems, users=everyone, action=ActionForm()
    )


def _target(user_id: int) -> StaffUser:
    if not ActionForm().validate_on_submit():
        abort(400)
    user = db.session.get(StaffUser, user_id)
    if user is None:
        abort(404)
    return user


@admin_bp.post(f"/users/<{USER_ID}>/disable")
def disable(user_id: int) -> Response:
    """Disable an account; its sessions end at once."""
    user = _target(user_id)
    if user.id == (current_user() or user).id:
        flash(_("You cannot disable your own account."))
        return redirect(url_for("staff.admin.users"))
    user.is_active = False
    audit.record("user disabled", user.username)
    db.session.commit()
    end_all_sessions(user)
    return redirect(url_for("staff.admin.users"))


@admin_bp.post(f"/users/<{USER_ID}>/enable")
def enable(user_id: int) -> Response:
    user = _target(user_id)
    user.is_active = True
    audit.record("user enabled", user.username)
    db.session.commit()
    return redirect(url_for("staff.admin.users"))


@admin_bp.post(f"/users/<{USER_ID}>/shift-lead")
def shift_lead(user_id: int) -> Response:
    """Give or take the shift lead role (the board); sessions go on, the gate reads it anew."""
    user = _target(user_id)
    before, user.is_shift_lead = user.is_shift_lead, request.form.get("lead") == "1"
    audit.record(
        "shift lead changed",
        user.username,
        before={"shift_lead": before},
        after={"shift_lead": user.is_shift_lead},
    )
    db.session.commit()
    return redirect(url_for("staff.admin.users"))


@admin_bp.post(f"/users/<{USER_ID}>/reset")
def reset(user_id: int) -> str:
    """A one-time password, a new 2FA enrolment at next login, no recovery codes; sessions end.

    The one-time password works for one login, which must set a new password (app/staff/auth.py).
    """
    user = _target(user_id)
    temporary = secrets.token_urlsafe(18)
    user.password_hash = hash_password(temporary)
    user.must_change_password = True
    user.totp_secret = None
    user.totp_last_step = 0
    recovery.clear_codes(user)
    audit.record("password and 2FA reset", user.username)
    db.session.commit()
    end_all_sessions(user)
    return render_template("staff/reset_done.html", user=user, temporary=temporary)


@admin_bp.get("/audit")
def audit_log() -> str:
    """The latest staff changes, newest first, each as what changed in words."""
    entries = db.session.scalars(
        select(AuditEntry).order_by(AuditEntry.id.desc()).limit(AUDIT_PAGE)
    ).all()
    return render_template("staff/audit.html", entries=audit_rows(entries))
