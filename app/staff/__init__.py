"""The staff blueprint: default-deny.

One `before_request` sends every staff endpoint to the login page unless someone is logged
in, except the endpoints in OPEN_ENDPOINTS (the login steps, each of which checks that its own
step is the one in progress). Someone who logged in with a one-time password is sent to choose
a new password from every other page. A new route is protected without anyone having
to remember it (tests/staff/test_default_deny.py walks the URL map to prove it). The nested
`admin` blueprint adds a second gate: admins only; the nested `lead` blueprint (the shift
lead's board) one for shift leads and admins.
"""

from __future__ import annotations

from app.staff import (  # noqa: F401  (register the views)
    account_views,
    admin_views,
    board_views,
    colleague_views,
    console_views,
    directory_views,
    figures_views,
    hours,
    login_views,
    message_views,
    notice_views,
    replies_views,
    wrapup_views,
)
from app.staff.blueprint import OPEN_ENDPOINTS, admin_bp, bp, lead_bp

bp.register_blueprint(admin_bp)
bp.register_blueprint(lead_bp)

__all__ = ["OPEN_ENDPOINTS", "bp"]
