"""No cookie for visitors: a session exists only under /staff, and a public response never
carries a cookie or `Vary: Cookie`, whatever a view does (promise 2)."""

from __future__ import annotations

import logging

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

STAFF_PREFIX = "/staff"
log = logging.getLogger(__name__)


def is_staff_path(path: str) -> bool:
    return path == STAFF_PREFIX or path.startswith(STAFF_PREFIX + "/")


class StaffOnlySessionInterface(SecureCookieSessionInterface):
    """Sessions exist only under /staff.

    Outside the staff path Flask gets a null session: it cannot be written, and Flask never
    saves it, so no public response can carry a session cookie or `Vary: Cookie`, whatever a
    view does. The cookie's own Path=/staff keeps browsers from sending it to public pages.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if not is_staff_path(request.path):
            return None
        return super().open_session(app, request)


def drop_cookies(response: Response) -> None:
    """Remove any cookie from a public response; a second line behind the session interface."""
    if "Set-Cookie" in response.headers:
        response.headers.remove("Set-Cookie")
        log.error("a public response tried to set a cookie; removed")
    vary = [v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()]
    if "Cookie" in vary:
        vary.remove("Cookie")
        if vary:
            response.headers["Vary"] = ", ".join(vary)
        else:
            response.headers.remove("Vary")
