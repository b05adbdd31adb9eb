"""The privacy layer: every response's headers, the no-cookie guarantee, request-free logging.

This is the one place that installs the site's privacy promises at the HTTP level, for every
response (`init_app`, `PrivateFlask`); its parts live next to it, one concern each
(docs/privacy.md maps each promise to the code and to the test that proves it):

- no visitor is logged: neither the app, werkzeug nor gunicorn writes a request's address,
  path, query, user agent or time (`logs.py`: `configure_logging`; `PrivateFlask.log_exception`
  here; `gunicorn_logs.py`: `GunicornLogger`);
- no cookie for visitors: the session only exists under the staff path (`cookies.py`:
  `StaffOnlySessionInterface`), and any cookie a public view might set is removed;
- strict headers on every response (`headers.py`: `apply_headers`), also on gunicorn's own
  error answers (`gunicorn_logs.py`: `write_gunicorn_error`);
- bounded request bodies, held in memory only (`bodies.py`: `limit_body`, `PrivateRequest`);
- redirects that never repeat the Host header (`headers.py`: `_relative_location`).
"""

from __future__ import annotations

from types import TracebackType

from flask import Flask

from app.privacy.bodies import DEFAULT_BODY_LIMIT, PrivateRequest, larger_body, limit_body
from app.privacy.cookies import STAFF_PREFIX, StaffOnlySessionInterface, is_staff_path
from app.privacy.gunicorn_logs import (
    GunicornLogger,
    install_gunicorn_error_answers,
    write_gunicorn_error,
)
from app.privacy.headers import CONTENT_SECURITY_POLICY, apply_headers, widen_csp
from app.privacy.logs import configure_logging, describe_exception

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "DEFAULT_BODY_LIMIT",
    "GunicornLogger",
    "PrivateFlask",
    "init_app",
    "install_gunicorn_error_answers",
    "is_staff_path",
    "larger_body",
    "widen_csp",
    "write_gunicorn_error",
]


class PrivateFlask(Flask):
    """Flask whose unhandled-exception log leaves out the request.

    Flask's own `log_exception` writes the request path and method; ours writes neither.
    """

    request_class = PrivateRequest

    def log_exception(
        self,
        exc_info: tuple[type, BaseException, TracebackType] | tuple[None, None, None],
    ) -> None:
        self.logger.error("unhandled exception\n%s", describe_exception(exc_info[0], exc_info[2]))


def init_app(app: Flask) -> None:
    """The whole layer for every response, in this one function: body limits, the staff-only
    session and its cookie, request-free logs, the headers. A new route is covered without
    anyone remembering to cover it."""
    # First of all before_request functions: nothing may read a body before its limit is set.
    app.before_request(limit_body)
    app.config["MAX_CONTENT_LENGTH"] = DEFAULT_BODY_LIMIT.max_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = DEFAULT_BODY_LIMIT.max_bytes
    app.config["MAX_FORM_PARTS"] = DEFAULT_BODY_LIMIT.max_parts
    app.session_interface = StaffOnlySessionInterface()
    # Staff cookies only: scoped to /staff, so a browser never sends one with a public page.
    app.config["SESSION_COOKIE_PATH"] = STAFF_PREFIX
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Strict"
    app.config["SESSION_COOKIE_NAME"] = (
        "__Secure-staff" if app.config["SESSION_COOKIE_SECURE"] else "staff"
    )
    # Flask-WTF's HTTPS check compares the Referer header, which our Referrer-Policy removes;
    # the token plus SameSite=Strict cookies protect the staff forms.
    app.config["WTF_CSRF_SSL_STRICT"] = False
    configure_logging(app)
    app.after_request(apply_headers)
