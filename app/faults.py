"""When the database fails: an honest 503 that still shows the helpline, never a stack trace.

Public pages do not get here for their content: contacts fall back to the seed data
(app/contacts.py), hours to "call to check" (app/hours/display.py). Whatever does reach this
handler (a staff page, a save, a login) gets a 503 page in the public layout, so the helpline
number, the chat and the crisis lines still show; on /staff it says plainly that the database
is unavailable and nothing was saved. The API answers in JSON.
"""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import SQLAlchemyError

from app.db import db
from app.i18n import language_of_path
from app.privacy import is_staff_path

log = logging.getLogger(__name__)
UNAVAILABLE = 503
RETRY_AFTER_SECONDS = 60


def _rollback() -> None:
    """End the failed transaction, so rendering the error page starts clean."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        log.error("rollback after a database error failed too")


def handle_database_error(error: SQLAlchemyError) -> ResponseReturnValue:
    _rollback()
    # The type only: SQLAlchemy's message quotes the statement and its parameters (input).
    log.error("database unavailable (%s)", type(error).__name__)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if request.path.startswith("/api/"):
        return jsonify(error="unavailable", code=UNAVAILABLE), UNAVAILABLE, headers
    g.lang = g.get("lang") or language_of_path()
    # The staff menu looks up the logged-in user, which needs the database: show the page as
    # for someone logged out instead of failing a second time.
    g.setdefault("staff_user", None)
    page = render_template("error.html", code=UNAVAILABLE, staff_area=is_staff_path(request.path))
    return page, UNAVAILABLE, headers


def init_app(app: Flask) -> None:
    app.register_error_handler(SQLAlchemyError, handle_database_error)
