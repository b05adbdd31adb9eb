"""Error pages: a clear message in the visitor's language, never a stack trace.

Every error page still shows the helpline number and quick exit (it extends the base layout).
"""

from __future__ import annotations

from flask import Flask, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import BadHost, HTTPException

from app.i18n import language_of_path


def handle_http_error(error: HTTPException) -> ResponseReturnValue:
    if isinstance(error, BadHost):
        return error  # no URLs can be built for a host we cannot parse: plain 400, no template
    code = error.code or 500
    if request.path.startswith("/api/"):
        return jsonify(error=error.name, code=code), code
    g.lang = g.get("lang") or language_of_path()
    return render_template("error.html", code=code), code


def init_app(app: Flask) -> None:
    # An unexpected exception reaches this handler as a 500 after Flask has logged it
    # (without request data, see app/privacy/logs.py).
    app.register_error_handler(HTTPException, handle_http_error)
