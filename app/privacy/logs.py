"""Logging that holds no request: our messages only, and exceptions by type and place.

Neither the app nor werkzeug writes a visitor's address, path, query, user agent or time
(promise 1); gunicorn's side is app/privacy/gunicorn_logs.py.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType
from typing import Any

from flask import Flask


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
