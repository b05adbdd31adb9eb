"""The privacy layer: every response's headers, the no-cookie guarantee, request-free logging.

This is the one module that keeps the site's privacy promises at the HTTP level
(docs/privacy.md maps each promise to the code here and to the test that proves it):

- no visitor is logged: neither the app, werkzeug nor gunicorn writes a request's address,
  path, query, user agent or time (`configure_logging`, `PrivateFlask.log_exception`,
  `GunicornLogger`);
- no cookie for visitors: the session only exists under the staff path
  (`StaffOnlySessionInterface`), and any cookie a public view might set is removed;
- strict headers on every response (`apply_headers`), also on gunicorn's own error answers
  (`write_gunicorn_error`);
- bounded request bodies, held in memory only (`limit_body`, `PrivateRequest`);
- redirects that never repeat the Host header (`_relative_location`).
"""

from __future__ import annotations

import html
import logging
import socket
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from types import TracebackType
from typing import IO, Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import flask
from flask import Flask, Request, Response, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from gunicorn import glogging, util
from werkzeug.exceptions import RequestEntityTooLarge

STAFF_PREFIX = "/staff"
WITHHELD = "[withheld]"
# How gunicorn (23 to 27, gunicorn/workers/base.py) starts its line about a malformed request.
CLIENT_ERROR_MESSAGE = "Invalid request from ip="

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


@dataclass(frozen=True)
class BodyLimit:
    """How much a request may send: bytes in all, and form fields (with files) in all."""

    max_bytes: int
    max_parts: int


# Every form on the site is small: a chat message of 2,000 characters is at most 24 kB
# percent-encoded. The rare view that needs more says so with `larger_body`.
DEFAULT_BODY_LIMIT = BodyLimit(max_bytes=64 * 1024, max_parts=200)
_LARGER_BODIES: dict[Callable[..., Any], BodyLimit] = {}
View = TypeVar("View", bound=Callable[..., Any])


def larger_body(
    max_bytes: int, max_parts: int = DEFAULT_BODY_LIMIT.max_parts
) -> Callable[[View], View]:
    """Let one view accept more than DEFAULT_BODY_LIMIT (the staff's hours pages)."""

    def mark(view: View) -> View:
        _LARGER_BODIES[view] = BodyLimit(max_bytes, max_parts)
        return view

    return mark


def limit_body() -> None:
    """Refuse an oversized body with 413 before any of it is read (registered first of all
    `before_request` functions, so no other code can read the body before the limit is set).

    A body without a length (chunked) is cut off by Werkzeug at the same limit while it is read.
    Why it matters: Werkzeug spools a large upload to a temporary file, so any route would let
    a stranger write hundreds of megabytes to our disk (issue 16, item 8).
    """
    view = flask.current_app.view_functions.get(request.endpoint or "")
    limit = _LARGER_BODIES.get(view, DEFAULT_BODY_LIMIT) if view else DEFAULT_BODY_LIMIT
    request.max_content_length = limit.max_bytes
    request.max_form_memory_size = limit.max_bytes
    request.max_form_parts = limit.max_parts
    if request.content_length is not None and request.content_length > limit.max_bytes:
        raise RequestEntityTooLarge()


class PrivateRequest(Request):
    """A request whose uploaded files stay in memory (bounded by `limit_body`), never in a
    temporary file on disk, where a visitor's upload could outlive the request."""

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        return BytesIO()


def _relative_location(location: str) -> str:
    """A redirect to our own host as a path: never `http://<whatever Host said>/...`.

    Werkzeug builds the address of its slash redirects (`/nl` -> `/nl/`) from the Host header
    and the scheme gunicorn saw (http behind a proxy), so `Host: evil.example` got a redirect
    to http://evil.example/nl/ (issue 16, item 9). A path is resolved by the browser against
    the address it asked for, which is always right.
    """
    parts = urlsplit(location)
    if not parts.netloc or parts.netloc.lower() != request.host.lower():
        return location
    # One leading slash: "//x" would be read as another host.
    return urlunsplit(("", "", "/" + parts.path.lstrip("/"), parts.query, parts.fragment))


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
    if "Location" in headers:
        headers["Location"] = _relative_location(headers["Location"])
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

    request_class = PrivateRequest

    def log_exception(
        self,
        exc_info: tuple[type, BaseException, TracebackType] | tuple[None, None, None],
    ) -> None:
        self.logger.error("unhandled exception\n%s", describe_exception(exc_info[0], exc_info[2]))


def init_app(app: Flask) -> None:
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


# The headers apply_headers gives an HTML page, for the answers gunicorn writes itself.
_GUNICORN_ERROR_HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
    "Connection": "close",
}


def write_gunicorn_error(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's answer to a request it cannot parse (400, 414, 431, 501), with our headers.

    gunicorn's own `util.write_error` sends only Content-Type, Content-Length and Connection,
    and echoes the offending request line or header into the page (`mesg`). This answer has
    every privacy header of our pages and says only the status: the request is not repeated.
    `deploy/gunicorn.conf.py` puts it in place of gunicorn's (the signature is gunicorn's).
    """
    status = f"{status_int} {html.escape(reason)}"
    body = (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{status}</title>'
        f"</head><body><h1>{status}</h1></body></html>\n"
    ).encode()
    head = [f"HTTP/1.1 {status_int} {reason}"]
    head += [f"{name}: {value}" for name, value in _GUNICORN_ERROR_HEADERS.items()]
    head.append(f"Content-Length: {len(body)}")
    util.write_nonblock(sock, ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)


def install_gunicorn_error_answers() -> None:
    """Use `write_gunicorn_error` for gunicorn's own error answers (a gunicorn.conf.py hook)."""
    util.write_error = write_gunicorn_error


class GunicornLogger(glogging.Logger):
    """gunicorn's logger with no access log and an error log that cannot hold a visitor.

    gunicorn writes some request details into its error log: the client address of a
    malformed request (pre-formatted into the message) and the URI of a failed request (as an
    argument). This logger keeps integer arguments (pids, counts), replaces every other
    argument, cuts a message without arguments at its first ':' or '=' (where gunicorn puts
    details), and writes tracebacks without their messages. `deploy/gunicorn.conf.py` uses it.

    The warning gunicorn writes for every malformed request ("Invalid request from ip=...") is
    dropped whole: even scrubbed, its line (and the time journald adds to it) would record that
    someone sent a request. It is a client's mistake, not a server fault anyone must act on.
    """

    # No time stamp: an error line's time would tell when someone visited.
    error_fmt = "[%(process)d] [%(levelname)s] %(message)s"

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        """Never write an access log, whatever the configuration says."""

    def log(self, lvl: Any, msg: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(msg, str) and msg.startswith(CLIENT_ERROR_MESSAGE):
            return
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
