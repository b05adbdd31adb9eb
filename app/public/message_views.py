"""The visitor's side of messages: leave one, get a pick-up code, come back to read and reply.

No cookie, no session, no CSRF token, no script needed. Everything that carries a code or a
text is a POST (require_same_origin, like the chat), so neither is ever in a URL and so in
history or a log; the answers are `no-store` like every page. The code is shown once, on the
page that answers the "leave" POST, and is otherwise only echoed in hidden fields of the
conversation page, so that reply and delete work without typing it again.

A wrong, malformed, expired or deleted code gets one answer (`not_found`), whatever the
reason. Site-wide limits answer "busy, please call" (503, Retry-After) and give the text back.
"""

from __future__ import annotations

import hashlib
import secrets
from http import HTTPStatus
from typing import Any

from flask import Response, current_app, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import SQLAlchemyError

from app.chat.web import require_same_origin
from app.counters.metrics import Metric
from app.counters.web import count
from app.db import db
from app.messages import answer_time as answer_line
from app.messages import store, web
from app.messages.crypto import WrongKey
from app.messages.models import Conversation
from app.public.blueprint import bp
from app.public.pages import PAGES_BY_KEY
from app.public.routes import LANG, render_page
from app.versioned import Stale

MESSAGE = f"/{LANG}/message"
RETRY_AFTER_SECONDS = 60
DAY_SECONDS = 24 * 3600


def _form_keys() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="message-form")


def new_form_key() -> str:
    """A one-time key for one "leave a message" form: signed, so it cannot be made up, dated,
    and random, so that its hash marks this one form as used (Back and resubmit)."""
    return str(_form_keys().dumps(secrets.token_urlsafe(16)))


def form_key_is_fresh(key: str) -> bool:
    try:
        _form_keys().loads(key, max_age=web.limits().form_days * DAY_SECONDS)
    except BadSignature:  # also SignatureExpired
        return False
    return True


def answer_time() -> str:
    """Staff's line ("within 3 working days"); the default when the database cannot say."""
    try:
        return answer_line.answer_time(db.session, g.get("lang", "nl"))
    except SQLAlchemyError:
        db.session.rollback()
        return answer_line.DEFAULT_ANSWER_TIME["en" if g.get("lang") == "en" else "nl"]


def message_context() -> dict[str, Any]:
    """What the message page shows: the promises (answer time, retention) and a fresh form."""
    web.require_enabled()
    try:
        web.sweep_if_due()
    except SQLAlchemyError:
        db.session.rollback()  # the page still works; the next request or the timer sweeps
    limits = web.limits()
    return {
        "form_key": new_form_key(),
        "answer_time": answer_time(),
        "retention_days": limits.retention_days,
        "max_chars": limits.text_max_chars,
        "name_max_chars": limits.name_max_chars,
        "text": "",
        "first_name": "",
        "error": "",
        "lookup_error": "",
    }


def message_page(status: int, **context: Any) -> ResponseReturnValue:
    return render_page(PAGES_BY_KEY["message"], message_context(), **context), status


def busy(text: str = "") -> Response:
    """A site-wide limit is reached: call instead, or try again later; the text comes back."""
    db.session.rollback()
    body = render_template(
        "messages/busy.html", page=PAGES_BY_KEY["message"], text=text, form_key=new_form_key()
    )
    response = Response(body, HTTPStatus.SERVICE_UNAVAILABLE)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def unavailable(text: str = "") -> ResponseReturnValue:
    """The database or the key failed: never a 500; the phone, and the text to copy."""
    db.session.rollback()
    body = render_template("messages/unavailable.html", page=PAGES_BY_KEY["message"], text=text)
    return body, HTTPStatus.SERVICE_UNAVAILABLE


def not_found(text: str = "") -> ResponseReturnValue:
    """The one answer for every code that leads nowhere."""
    lookup_error = _(
        "We found no conversation with this code. Check the code and try again. "
        "A conversation is deleted %(days)s days after its last message.",
        days=web.limits().retention_days,
    )
    return message_page(HTTPStatus.NOT_FOUND, lookup_error=lookup_error, text=text)


def conversation_page(
    code: str, conversation_id: str, *, error: str = "", draft: str = "", status: int = 200
) -> ResponseReturnValue:
    view = store.read(db.session, web.keys(), conversation_id)
    if view is None:
        return not_found(draft)
    body = render_template(
        "messages/conversation.html",
        page=PAGES_BY_KEY["message"],
        code=code,
        conversation=view,
        error=error,
        draft=draft,
        answer_time=answer_time(),
        retention_days=web.limits().retention_days,
        max_chars=web.limits().text_max_chars,
    )
    return body, status


def _cleaned(raw_text: str, raw_name: str) -> tuple[str, str, str]:
    """(text, first name, error): the error says what to change, in the visitor's words."""
    limits = web.limits()
    try:
        text = store.clean_text(raw_text, limits.text_max_chars)
        first_name = " ".join(store.clean_text(raw_name, limits.name_max_chars).split())
    except store.TooLong:
        return "", "", _("Please make your message or your name shorter.")
    if not text:
        return "", "", _("Write your message first.")
    if not form_key_is_fresh(request.form.get("form_key", "")):
        return "", "", _("This form was too old. Nothing was sent. Please press the button again.")
    return text, first_name, ""


@bp.post(f"{MESSAGE}/send")
def message_send() -> ResponseReturnValue:
    """Leave a message. Every error gives the whole form back with what was typed."""
    require_same_origin()
    web.require_enabled()
    raw_text = request.form.get("text", "")
    raw_name = request.form.get("first_name", "")
    text, first_name, error = _cleaned(raw_text, raw_name)
    if error:
        return message_page(HTTPStatus.BAD_REQUEST, error=error, text=raw_text, first_name=raw_name)
    form_key = request.form.get("form_key", "")
    try:
        code = store.leave(
            web.desk(),
            text=text,
            first_name=first_name,
            form_key_hash=hashlib.sha256(form_key.encode()).hexdigest(),
        )
        db.session.commit()
        count(Metric.MESSAGE_LEFT)
    except store.Busy:
        return busy(raw_text)
    except store.Replayed:
        # Back, then "resubmit": the browser sent the old form again. Leave nothing, and show
        # nothing of what it carried: the code was shown once, on the first answer.
        db.session.rollback()
        body = render_template("messages/replayed.html", page=PAGES_BY_KEY["message"])
        return body, HTTPStatus.CONFLICT
    except SQLAlchemyError:
        return unavailable(raw_text)
    return render_template(
        "messages/code.html",
        page=PAGES_BY_KEY["message"],
        code=code,
        answer_time=answer_time(),
        retention_days=web.limits().retention_days,
    )


def _lookup(code: str) -> str | None:
    """The conversation id for a typed code; the look-up is counted (committed) at once, so
    no later error can undo it and so let look-ups past the site-wide limit."""
    found = store.find(web.desk(), code)
    db.session.commit()
    return found


@bp.post(f"{MESSAGE}/read")
def message_read() -> ResponseReturnValue:
    """The conversation a pick-up code leads to."""
    require_same_origin()
    web.require_enabled()
    code = request.form.get("code", "")
    try:
        web.sweep_if_due()
        found = _lookup(code)
        if found is None:
            return not_found()
        conversation = db.session.get(Conversation, found)
        if conversation is not None and conversation.state == "answered":
            count(Metric.MESSAGE_COLLECTED)  # an answer was waiting; each opening counts
        return conversation_page(code, found)
    except store.Busy:
        return busy()
    except (SQLAlchemyError, WrongKey):
        return unavailable()


@bp.post(f"{MESSAGE}/reply")
def message_reply() -> ResponseReturnValue:
    """The visitor writes again in the same conversation; the text is kept on every error."""
    require_same_origin()
    web.require_enabled()
    code = request.form.get("code", "")
    raw = request.form.get("text", "")
    try:
        found = _lookup(code)
        if found is None:
            return not_found(raw)
        error, status = _reply(found, raw)
        if error:
            db.session.rollback()
            return conversation_page(code, found, error=error, draft=raw, status=status)
        db.session.commit()
        return conversation_page(code, found)
    except store.Busy:
        return busy(raw)
    except (SQLAlchemyError, WrongKey):
        return unavailable(raw)


def _reply(conversation_id: str, raw: str) -> tuple[str, int]:
    """Add the visitor's reply; ("", 200), or the error to show with its status."""
    try:
        text = store.clean_text(raw, web.limits().text_max_chars)
    except store.TooLong:
        return _("Your message is too long. Please make it shorter."), HTTPStatus.BAD_REQUEST
    if not text:
        return _("Write your message first."), HTTPStatus.BAD_REQUEST
    try:
        store.visitor_reply(web.desk(), conversation_id, text)
    except store.Closed:
        return _("This conversation is closed. You can leave a new message."), HTTPStatus.CONFLICT
    except Stale:
        error = _("Something changed just now. Nothing was sent. Please send it again.")
        return error, HTTPStatus.CONFLICT
    return "", HTTPStatus.OK


@bp.post(f"{MESSAGE}/delete")
def message_delete() -> ResponseReturnValue:
    """Delete the whole conversation now, for good; the helpline cannot get it back."""
    require_same_origin()
    web.require_enabled()
    code = request.form.get("code", "")
    try:
        found = _lookup(code)
        if found is None:
            return not_found()
        store.delete_conversation(db.session, found)
        db.session.commit()
        count(Metric.MESSAGE_DELETED)
    except store.Busy:
        return busy()
    except SQLAlchemyError:
        return unavailable()
    return render_template("messages/deleted.html", page=PAGES_BY_KEY["message"])
