"""The staff blueprints and their gates (see app/staff/__init__.py for why default-deny).

Apart from the package, so every view module imports `bp` without an import circle.
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

bp = Blueprint("staff", "app.staff", url_prefix="/staff")
admin_bp = Blueprint("admin", "app.staff", url_prefix="/admin")
lead_bp = Blueprint("lead", "app.staff", url_prefix="/board")

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


@lead_bp.before_request
def require_shift_lead() -> None:
    """The board shows every counsellor's load: shift leads and admins only, default-deny
    like the admin pages (every view of `lead_bp` is behind it without asking)."""
    user = current_user()
    if user is None or not user.leads_shifts:
        abort(403)


@bp.app_errorhandler(CSRFError)
def csrf_failed(error: CSRFError) -> tuple[str, int]:
    """A missing or wrong CSRF token ends the session: the request may not have been theirs."""
    end_session()
    message = _(
        "For your safety you were logged out: the form had expired or was sent from "
        "somewhere else. Please log in again."
    )
    return render_template("staff/login.html", form=LoginForm(), error=message), 400
