"""The messages domain for the running app: keys, limits, the day, and the sweep on request.

Both blueprints use these (they never import each other). Days are the helpline's own days
(HOURS_TIMEZONE): "sent on 3 March" means the same to the visitor and the counsellor.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from zoneinfo import ZoneInfo

from flask import abort, current_app

from app import clock
from app.counters.metrics import Metric
from app.counters.web import count
from app.db import db
from app.messages import store
from app.messages.crypto import Keys

SWEEP_EVERY_SECONDS = 3600  # the sweep on request: at most once an hour per worker
_lock = threading.Lock()


def enabled() -> bool:
    return bool(current_app.config.get("MESSAGES_ENABLED"))


def require_enabled() -> None:
    if not enabled():
        abort(404)


def keys() -> Keys:
    found: Keys | None = current_app.extensions.get("messages_keys")
    if found is None:
        found = Keys(current_app.config["MESSAGES_KEYS"])
        current_app.extensions["messages_keys"] = found
    return found


def limits() -> store.Limits:
    return store.Limits(**current_app.config["MESSAGES_LIMITS"])


def today() -> dt.date:
    """The helpline's date now (HOURS_TIMEZONE)."""
    return clock.local_today(current_app.config["HOURS_TIMEZONE"])


def desk() -> store.Desk:
    """The messages store for this request; its day and moment are the helpline's own."""
    moment = clock.now().astimezone(ZoneInfo(current_app.config["HOURS_TIMEZONE"]))
    return store.Desk(db.session, keys(), limits(), moment.date(), moment)


def sweep_now() -> int:
    """Delete what retention says must go; commit. Returns how many conversations went."""
    removed = store.sweep(db.session, limits(), today())
    db.session.commit()
    if removed:
        count(Metric.MESSAGE_EXPIRED, by=removed)
    return removed


def sweep_if_due() -> None:
    """The sweep on request: the first message request in a worker each hour deletes expired
    conversations, so retention holds even where the systemd timer was never installed. The
    timer (deploy/helpline-messages-sweep.timer) is the guarantee for a quiet site."""
    extensions = current_app.extensions
    with _lock:
        if time.monotonic() - extensions.get("messages_swept", -SWEEP_EVERY_SECONDS) < (
            SWEEP_EVERY_SECONDS
        ):
            return
        extensions["messages_swept"] = time.monotonic()
    sweep_now()
