"""Two optional questions after a chat ended ("Did this help?", "Would you contact us
again?"): one POST, and all it does is add one to a daily counter per answer.

They come after every end the visitor sees: the visitor's own (the "chat has ended" page), and
the counsellor's or the time-out's, which the visitor learns of in the chat's frame (without
JavaScript) or its event stream (with it): `key_after_end` then hands out a form key, read
from the chat's tombstone, which still says how the chat ended.

Never after quick exit: that answer is a redirect away, with no page of ours in between, and a
page brought back afterwards (Back, a restored tab) gets no questions either, because the
tombstone says "quick_exit" and `key_after_end` gives no key for it. Each form carries a signed
one-time key made when the questions were shown, so the answers of one chat count once (Back,
then resubmit, counts nothing) and a made-up POST counts nothing. The key is remembered
through the chat store's `use_once`, as start forms are: only its hash, by two-hour period,
never with the answers.
"""

from __future__ import annotations

import hashlib
import secrets
from http import HTTPStatus

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app import clock
from app.chat.store import EndReason
from app.chat.web import chat_store, require_same_origin
from app.counters.metrics import Answer, Metric
from app.counters.web import count
from app.public.blueprint import bp
from app.public.routes import LANG

QUESTIONS = (("helped", Metric.FEEDBACK_HELPED), ("again", Metric.FEEDBACK_AGAIN))
# The ends the visitor learns of in the chat's frame or stream and is asked about: a chat the
# counsellor ended (or ended and blocked), or one that timed out. All of them had a counsellor.
# Not quick exit (never), not the visitor's own end (its page asks already), not "dropped"
# (a waiting visitor who had left: nobody talked, and nobody is there to ask).
ASKED_AFTER: frozenset[EndReason] = frozenset({"counsellor", "blocked", "idle"})
ANSWERS = tuple(answer.value for answer in Answer)


def _keys() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="chat-feedback")


def new_feedback_key() -> str:
    return str(_keys().dumps(secrets.token_urlsafe(16)))


def key_after_end(chat_id: str) -> str | None:
    """A feedback form key if the chat has ended in one of ASKED_AFTER, else None.

    Only its tombstone tells how a chat ended; without one (already removed) the answer is
    None, so an unknown end never asks, and quick exit can never be the reason asked about.
    """
    tombstone = chat_store().get(chat_id, clock.seconds())
    if tombstone is None or tombstone.end_reason not in ASKED_AFTER:
        return None
    return new_feedback_key()


def render_ended(*, error: str = "", status: int = HTTPStatus.OK) -> ResponseReturnValue:
    """The visitor's "the chat has ended" page, with the two questions."""
    body = render_template(
        "chat/ended.html", page=None, feedback_key=new_feedback_key(), error=error
    )
    return body, status


@bp.post(f"/{LANG}/chat/feedback")
def chat_feedback() -> ResponseReturnValue:
    require_same_origin()
    picked = {name: request.form.get(name, "") for name, _metric in QUESTIONS}
    if any(value not in ("", *ANSWERS) for value in picked.values()):
        return render_ended(error=_("Please pick one of the answers."), status=400)
    key = request.form.get("feedback_key", "")
    try:
        _keys().loads(key, max_age=chat_store().limits.start_form_seconds)
    except BadSignature:  # also SignatureExpired: an old or made-up form counts nothing
        return render_template("chat/feedback_thanks.html", page=None)
    if chat_store().use_once(
        hashlib.sha256(f"feedback:{key}".encode()).hexdigest(), clock.seconds()
    ):
        for name, metric in QUESTIONS:
            if picked[name]:
                count(metric, picked[name])
    return render_template("chat/feedback_thanks.html", page=None)
