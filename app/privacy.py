"""The privacy layer: every response's headers, the no-cookie guarantee, request-free logging.

This is the one module that keeps the site's privacy promises at the HTTP level
(docs/privacy.md maps each promise to the code here and to the test that proves it):

- no visitor is logged: neither the app, werkzeug nor gunicorn writes a request's address,
  path, query, user agent or time (`configure_logging`, `PrivateFlask.log_exception`,
  `GunicornLogger`);
- no cookie for visitors: the session only exists under the staff path
  (`StaffOnlySessionInterface`), and any cookie a public view might set is removed;
- strict headers on every response (`apply_headers`).
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType
from typing import Any

import flask
from flask import Flask, Request, Response, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from gunicorn import glogging

STAFF_PREFIX = "/staff"
WITHHELD = "[withheld]"

CSP_DIRECTIVES = {
    # Nothing is allowed unless listed: no third-party origin can ever be contacted.
    "default-src": "'none'",
    # Only our own files; no inline script or style, so injected markup cannot run.
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    # Scripts may talk to our own origin only: the chat's Server-Sent Events and its sends.
    # (Lighthouse's robots.txt check also needs it.)
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
}
CONTENT_SECURITY_POLICY = "; ".join(f"{name} {value}" for name, value in CSP_DIRECTIVES.items())


def widen_csp(**directives: str) -> None:
    """Allow this one response a little more than CONTENT_SECURITY_POLICY (keyword: frame_src).

    Only the chat needs this: its pages show our own frames (`frame_src="'self'"`), the frames
    may be shown by our own pages (`frame_ancestors="'self'"`), and its quick exit is a form
    whose answer redirects to the neutral site (`form_action="'self' https://..."`), which
    Chromium checks against form-action. Nothing can widen the policy for another origin's
    scripts, styles or images.
    """
    widened: dict[str, str] = flask.g.setdefault("csp_widened", {})
    widened.update({name.replace("_", "-"): value for name, value in directives.items()})


def _content_security_policy() -> str:
    widened = flask.g.get("csp_widened")
    if not widened:
        return CONTENT_SECURITY_POLICY
    return "; ".join(f"{n} {v}" for n, v in {**CSP_DIRECTIVES, **widened}.items())


PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "browsing-topics",
    )
)

STATIC_MAX_AGE = 365 * 24 * 3600


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


def apply_headers(response: Response) -> Response:
    """Security and privacy headers for every response (registered as `after_request`)."""
    config = flask.current_app.config
    headers = response.headers
    headers["Content-Security-Policy"] = _content_security_policy()
    # Sites we link to never learn that a visitor came from here.
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Content-Type-Options"] = "nosniff"
    framed = flask.g.get("csp_widened", {}).get("frame-ancestors") == "'self'"
    headers["X-Frame-Options"] = "SAMEORIGIN" if framed else "DENY"
    headers["Permissions-Policy"] = PERMISSIONS_POLICY
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
    on_onion = request.host.split(":")[0].endswith(".onion")
    if config["HSTS"] and not on_onion:
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    if config["ONION_ADDRESS"] and not on_onion and response.mimetype == "text/html":
        headers["Onion-Location"] = f"http://{config['ONION_ADDRESS']}{request.full_path}".rstrip(
            "?"
        )
    if is_staff_path(request.path):
        headers["X-Robots-Tag"] = "noindex, nofollow"
    else:
        _drop_cookies(response)
    if request.endpoint == "static" and request.args.get("v"):
        # Versioned URLs change with the file's content, so they may be cached for a year.
        response.cache_control.public = True
        response.cache_control.max_age = STATIC_MAX_AGE
        response.cache_control.immutable = True
    elif not headers.get("Cache-Control"):
        # Pages show "open now" and may hold a visitor's choices: never keep a copy.
        headers["Cache-Control"] = "no-store"
    if response.mimetype == "text/html":
        headers.remove("ETag")
        headers.remove("Last-Modified")
    return response


def _drop_cookies(response: Response) -> None:
    """Remove any cookie from a public response; a second line behind the session interface."""
    if "Set-Cookie" in response.headers:
        response.headers.remove("Set-Cookie")
        logging.getLogger(__name__).error("a public response tried to set a cookie; removed")
    vary = [v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()]
    if "Cookie" in vary:
        vary.remove("Cookie")
        if vary:
            response.headers["Vary"] = ", ".join(vary)
        else:
            response.headers.remove("Vary")


def describe_exception(exc_type: type[BaseException] | None, tb: TracebackType | None) -> str:
    """An exception as its type and code locations only.

    The exception's message is left out on purpose: messages often quote input (a path, a
    form value), and input must never reach a log.
    """
    name = exc_type.__name__ if exc_type else "Exception"
    frames = [
        f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}'
        for frame in traceback.extract_tb(tb)
    ]
    return "\n".join(["Traceback (most recent call last):", *frames, f"{name} [message withheld]"])


class RequestFreeFormatter(logging.Formatter):
    """Formats our own messages; tracebacks lose their exception messages."""

    def formatException(self, ei: Any) -> str:  # noqa: N802 (logging's API name)
        return describe_exception(ei[0], ei[2])


def configure_logging(app: Flask) -> None:
    """Application logs go to stderr without any request data; werkzeug's request log is off."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RequestFreeFormatter("%(levelname)s %(name)s: %(message)s"))
    app.logger.handlers[:] = [handler]
    app.logger.setLevel(logging.INFO)
    root = logging.getLogger("app")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    root.propagate = False
    # The development server's request log names every visitor's address and URL.
    logging.getLogger("werkzeug").disabled = True


class PrivateFlask(Flask):
    """Flask whose unhandled-exception log leaves out the request.

    Flask's own `log_exception` writes the request path and method; ours writes neither.
    """

    def log_exception(
        self,
        exc_info: tuple[type, BaseException, TracebackType] | tuple[None, None, None],
    ) -> None:
        self.logger.error("unhandled exception\n%s", describe_exception(exc_info[0], exc_info[2]))


def init_app(app: Flask) -> None:
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


class GunicornLogger(glogging.Logger):
    """gunicorn's logger with no access log and an error log that cannot hold a visitor.

    gunicorn writes some request details into its error log: the client address of a
    malformed request (pre-formatted into the message) and the URI of a failed request (as an
    argument). This logger keeps integer arguments (pids, counts), replaces every other
    argument, cuts a message without arguments at its first ':' or '=' (where gunicorn puts
    details), and writes tracebacks without their messages. `deploy/gunicorn.conf.py` uses it.
    """

    # No time stamp: an error line's time would tell when someone visited.
    error_fmt = "[%(process)d] [%(levelname)s] %(message)s"

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        """Never write an access log, whatever the configuration says."""

    def log(self, lvl: Any, msg: Any, *args: Any, **kwargs: Any) -> None:
        level = lvl if isinstance(lvl, int) else logging.getLevelName(str(lvl).upper())
        exc_info = kwargs.get("exc_info")
        text = _scrub(msg, args)
        if exc_info:
            info = sys.exc_info() if exc_info is True else exc_info
            if isinstance(info, BaseException):
                info = (type(info), info, info.__traceback__)
            text += "\n" + describe_exception(info[0], info[2])
        self.error_log.log(level if isinstance(level, int) else logging.ERROR, "%s", text)

    def critical(self, msg: Any, *args: Any, **kwargs: Any) -> None:
        self.log(logging.CRITICAL, msg, *args, **kwargs)

    def error(self, msg: Any, *args: Any, **kwargs: Any) -> None:
        self.log(logging.ERROR, msg, *args, **kwargs)

    def warning(self, msg: Any, *args: Any, **kwargs: Any) -> None:
        self.log(logging.WARNING, msg, *args, **kwargs)

    def info(self, msg: Any, *args: Any, **kwargs: Any) -> None:
        self.log(logging.INFO, msg, *args, **kwargs)

    def debug(self, msg: Any, *args: Any, **kwargs: Any) -> None:
        self.log(logging.DEBUG, msg, *args, **kwargs)

    def exception(self, msg: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("exc_info", True)
        self.log(logging.ERROR, msg, *args, **kwargs)


def _scrub(msg: Any, args: tuple[Any, ...]) -> str:
    if not isinstance(msg, str):
        return type(msg).__name__
    if args:
        safe = tuple(
            a if isinstance(a, int) and not isinstance(a, bool) else WITHHELD for a in args
        )
        try:
            return msg % safe
        except (TypeError, ValueError):
            return msg.split("%", 1)[0] + WITHHELD
    cut = min((i for i in (msg.find(":"), msg.find("=")) if i >= 0), default=-1)
    return msg if cut < 0 else msg[:cut] + ": " + WITHHELD
