"""gunicorn's side of the privacy layer: no access log, an error log that cannot hold a
visitor, and its own error answers with our headers and without echoing the request.

`deploy/gunicorn.conf.py` installs both (`logger_class`, `on_starting`).
"""

from __future__ import annotations

import html
import logging
import socket
import sys
from typing import Any

from gunicorn import glogging, util

from app.privacy.headers import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY
from app.privacy.logs import describe_exception

WITHHELD = "[withheld]"
# How gunicorn (23 to 27, gunicorn/workers/base.py) starts its line about a malformed request.
CLIENT_ERROR_MESSAGE = "Invalid request from ip="

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
