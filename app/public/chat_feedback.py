"""Two optional questions after a chat the visitor ended ("Did this help?", "Would you contact
us again?"): one POST, and all it does is add one to a daily counter per answer.

Never after quick exit: that answer is a redirect away, with no page of ours in between. The
form carries a signed one-time key made when the "chat has ended" page was shown, so the
answers of one chat count once (Back, then resubmit, counts nothing) and a made-up POST
counts nothing. The key is remembered through the chat store's `use_once`, as start forms
are: only its hash, by two-hour period, never with the answers.
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
from app.chat.web import chat_store, require_same_origin
from app.counters.metrics import Answer, Metric
from app.counters.web import count
from app.public.blueprint import bp
from app.public.routes import LANG

QUESTIONS = (("helped", Metric.FEEDBACK_HELPED), ("again", Metric.FEEDBACK_AGAIN))
ANSWERS = tuple(answer.value for answer in Answer)


def _keys() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="chat-feedback")


def new_feedback_key() -> str:
    return str(_keys().dumps(secrets.token_urlsafe(16)))


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
