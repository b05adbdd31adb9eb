"""The staff blueprint: default-deny.

One `before_request` sends every staff endpoint to the login page unless someone is logged
in, except the endpoints in OPEN_ENDPOINTS (the login steps, each of which checks that its own
step is the one in progress). Someone who logged in with a one-time password is sent to choose
a new password from every other page. A new route is protected without anyone having
to remember it (tests/staff/test_default_deny.py walks the URL map to prove it). The nested
`admin` blueprint adds a second gate: admins only.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response

from app.staff.auth import Stage, current_user, end_session, login_in_progress
from app.staff.forms import LoginForm

bp = Blueprint("staff", __name__, url_prefix="/staff")
admin_bp = Blueprint("admin", __name__, url_prefix="/admin")

OPEN_ENDPOINTS = frozenset(
    {
        "staff.login",
        "staff.login_code",
        "staff.login_recovery",
        "staff.login_enroll",
        "staff.login_new_password",
    }
)

# Editor pages add themselves here (endpoint, label) to appear in the staff menu.
MENU: list[tuple[str, LazyString]] = []


@bp.before_request
def require_login() -> Response | None:
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if current_user() is None:
        if login_in_progress(Stage.NEW_PASSWORD):
            return redirect(url_for("staff.login_new_password"))
        return redirect(url_for("staff.login", next=request.full_path.rstrip("?")))
    return None


@bp.context_processor
def staff_context() -> dict[str, Any]:
    return {"staff_user": current_user(), "staff_menu": MENU}


@admin_bp.before_request
def require_admin() -> None:
    user = current_user()
    if user is None or not user.is_admin:
        abort(403)


from app.staff import (  # noqa: E402,F401  (register the views)
    account_views,
    admin_views,
    console_views,
    directory_views,
    figures_views,
    hours_views,
    login_views,
    message_views,
    notice,
    notice_views,
    replies_views,
    wrapup_views,
)

bp.register_blueprint(admin_bp)


@bp.app_errorhandler(CSRFError)
def csrf_failed(error: CSRFError) -> tuple[str, int]:
    """A missing or wrong CSRF token ends the session: the request may not have been theirs."""
    end_session()
    message = _(
        "For your safety you were logged out: the form had expired or was sent from "
        "somewhere else. Please log in again."
    )
    return render_template("staff/login.html", form=LoginForm(), error=message), 400
