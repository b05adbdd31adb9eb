"""The visitor's chat: start, wait, talk, end, leave fast. No cookie, no session, no script needed.

The visitor's capability token (app/chat/tokens.py) travels in hidden form fields only. Every
top-level chat page is the answer to a POST, so the token is never a GET address; the frames
and the event stream, which are GETs, carry a view pass that works for about a minute instead
(app/chat/web.py, `view_pass`).

How the page learns of new messages (frames without JavaScript, Server-Sent Events with it)
is in app/public/chat_updates.py.

Nothing here logs, and chat text is passed to the store and the templates only.
"""

from __future__ import annotations

import hashlib
import secrets
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Response,
    current_app,
    g,
    redirect,
    render_template,
    request,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.exceptions import NotFound

from app import clock
from app.chat import proof
from app.chat.store import (
    ChatGone,
    ChatInfo,
    Message,
    QueueFull,
    RateLimited,
    StoreUnavailable,
)
from app.chat.text import TooLong, clean_message, clean_nickname
from app.chat.tokens import new_token, token_hash
from app.chat.web import (
    ChatNotFound,
    chat_store,
    local_time,
    require_same_origin,
    rough_wait_minutes,
    system_text,
    view_pass,
    visitor_chat,
)
from app.counters.metrics import Metric, Refusal
from app.counters.web import count, count_chat_end
from app.hours.display import chat_is_open, hours_status
from app.privacy import widen_csp
from app.public.blueprint import bp
from app.public.chat_feedback import render_ended
from app.public.pages import PAGES_BY_KEY
from app.public.routes import LANG, render_page

CHAT = f"/{LANG}/chat"
RETRY_AFTER_SECONDS = 60


def entry_context() -> dict[str, Any]:
    return {"chat_open": chat_is_open(), "limits": chat_limits(), "start_key": new_start_key()}


def _start_keys() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="chat-start")


def new_start_key() -> str:
    """A one-time key for one start form: signed, so it cannot be made up, and dated."""
    return str(_start_keys().dumps(secrets.token_urlsafe(16)))


def start_key_is_fresh(key: str) -> bool:
    try:
        _start_keys().loads(key, max_age=chat_store().limits.start_form_seconds)
    except BadSignature:  # also SignatureExpired
        return False
    return True


def chat_limits() -> dict[str, int]:
    try:
        limits = chat_store().limits
    except StoreUnavailable:
        return {"message_max_chars": 0, "proof_bits": 0}
    return {"message_max_chars": limits.message_max_chars, "proof_bits": limits.proof_bits}


def token_from_form() -> str:
    return request.form.get("token", "")


def messages_of(info: ChatInfo) -> list[Message]:
    try:
        return chat_store().messages(info.chat_id, 0)
    except ChatGone as error:
        raise ChatNotFound from error


def render_room(
    token: str, info: ChatInfo, *, error: str = "", draft: str = "", status: int = 200
) -> ResponseReturnValue:
    """The chat page: the waiting room while alone, the conversation once a counsellor is in."""
    exit_origin = "{0.scheme}://{0.netloc}".format(urlsplit(current_app.config["QUICK_EXIT_URL"]))
    widen_csp(frame_src="'self'", form_action=f"'self' {exit_origin}")
    body = render_template(
        "chat/room.html",
        token=token,
        view=view_pass(token_hash(token)),
        chat=info,
        error=error,
        draft=draft,
        rough_wait=rough_wait_minutes(info.position or 0),
        max_chars=chat_store().limits.message_max_chars,
        page=None,
    )
    return body, status


@bp.post(f"{CHAT}/start")
def chat_start() -> ResponseReturnValue:
    require_same_origin()
    page = PAGES_BY_KEY["chat"]
    raw_nickname = request.form.get("nickname", "")
    raw_message = request.form.get("message", "")
    if not chat_is_open():
        count(Metric.CHAT_REQUESTED)
        count(Metric.CHAT_TURNED_AWAY, refusal_when_not_open())
        return render_page(
            page, entry_context(), just_closed=True, message=raw_message
        ), HTTPStatus.CONFLICT
    max_chars = chat_store().limits.message_max_chars
    start_key = request.form.get("start_key", "")
    if not start_key_is_fresh(start_key):
        error = _("This form was too old. Nothing was sent. Please press the button again.")
        return render_page(
            page, entry_context(), error=error, nickname=raw_nickname, message=raw_message
        ), HTTPStatus.BAD_REQUEST
    try:
        nickname = clean_nickname(raw_nickname)
        message = clean_message(raw_message, max_chars)
    except TooLong:
        error = _("Please make the name or the message shorter.")
        return render_page(
            page, entry_context(), error=error, nickname=raw_nickname, message=raw_message
        ), HTTPStatus.BAD_REQUEST
    if not chat_store().use_once(hashlib.sha256(start_key.encode()).hexdigest(), clock.seconds()):
        # Back, then "resubmit": the browser sends the old form again. Start nothing, and
        # show nothing of what it carried.
        return render_template("chat/replayed.html", page=None), HTTPStatus.CONFLICT
    token = new_token()
    # The flood gate without addresses (app/chat/proof.py): a start with its browser's proof
    # of work may take any free place; one without (no JavaScript) only one of a few.
    proven = proof.holds(start_key, request.form.get("proof", ""), chat_store().limits.proof_bits)
    count(Metric.CHAT_REQUESTED)
    moment = clock.seconds()
    try:
        info = chat_store().open(token_hash(token), nickname, message, moment, proven=proven)
    except QueueFull:
        count(Metric.CHAT_TURNED_AWAY, Refusal.QUEUE_FULL)
        response = Response(
            render_template("chat/busy.html", page=None), HTTPStatus.SERVICE_UNAVAILABLE
        )
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    count(Metric.CHAT_STARTED)
    return render_room(token, info)


def refusal_when_not_open() -> Refusal:
    """Why a start found the chat shut: outside the hours (or hours unknown), or open by the
    hours with no counsellor available."""
    view = hours_status("chat")
    return Refusal.NO_COUNSELLOR if view and view.status.open else Refusal.CLOSED


@bp.post(f"{CHAT}/view")
def chat_view() -> ResponseReturnValue:
    require_same_origin()
    token = token_from_form()
    return render_room(token, visitor_chat(token))


@bp.post(f"{CHAT}/send")
def chat_send() -> ResponseReturnValue:
    """Send a message. Whatever goes wrong, the visitor's text comes back in the box."""
    require_same_origin()
    token = token_from_form()
    info = visitor_chat(token)
    raw = request.form.get("message", "")
    error, status = "", HTTPStatus.NO_CONTENT
    store = chat_store()
    try:
        text = clean_message(raw, store.limits.message_max_chars)
        if info.state != "active":
            error, status = _("You can type once a counsellor has joined."), HTTPStatus.CONFLICT
        elif not text:
            error, status = _("Type a message first."), HTTPStatus.BAD_REQUEST
        else:
            store.post(info.chat_id, "visitor", text, clock.seconds())
    except TooLong:
        error = _("Your message is too long. Please split it into shorter messages.")
        status = HTTPStatus.BAD_REQUEST
    except RateLimited:
        error = _("You are sending messages very fast. Please wait a moment, then send again.")
        status = HTTPStatus.TOO_MANY_REQUESTS
    except ChatGone as gone:
        raise ChatNotFound from gone
    if request.accept_mimetypes.best == "application/json":
        return ({"error": error}, status) if error else ("", HTTPStatus.NO_CONTENT)
    if error:
        return render_room(token, info, error=error, draft=raw, status=status)
    return render_room(token, visitor_chat(token))


@bp.post(f"{CHAT}/typing")
def chat_typing() -> ResponseReturnValue:
    """The visitor is typing (static/js/chat.js, at most every few seconds): tells the
    counsellor so. The form holds the token and nothing else is read: not a word of the
    message leaves the browser before "send" (app/chat/store.py, `typing`)."""
    require_same_origin()
    info = visitor_chat(token_from_form())
    if info.state != "active":
        return {"error": _("You can type once a counsellor has joined.")}, HTTPStatus.CONFLICT
    try:
        chat_store().typing(info.chat_id, "visitor", clock.seconds())
    except ChatGone as gone:
        raise ChatNotFound from gone
    return "", HTTPStatus.NO_CONTENT


@bp.post(f"{CHAT}/end")
def chat_end() -> ResponseReturnValue:
    require_same_origin()
    info = visitor_chat(token_from_form())
    count_chat_end(chat_store().end(info.chat_id, "visitor", clock.seconds()))
    return render_ended()


@bp.post(f"{CHAT}/exit")
def chat_exit() -> ResponseReturnValue:
    """Quick exit inside the chat: end it, tell the counsellor how, and leave. No questions.

    This always leaves, even with a dead or missing token: someone pressing quick exit must
    never be shown an error instead.
    """
    require_same_origin()
    token = token_from_form()
    try:
        info = visitor_chat(token)
        count_chat_end(chat_store().end(info.chat_id, "quick_exit", clock.seconds()))
    except (NotFound, StoreUnavailable):
        pass
    return redirect(current_app.config["QUICK_EXIT_URL"], code=HTTPStatus.SEE_OTHER)


@bp.post(f"{CHAT}/copy")
def chat_copy() -> Response:
    """The visitor's own copy of the conversation so far, as a text file; nothing is kept."""
    require_same_origin()
    info = visitor_chat(token_from_form())
    lines = [_("Chat with the helpline, %(date)s", date=local_time(info.created, "%d-%m-%Y %H:%M"))]
    for message in messages_of(info):
        lines.append(f"[{local_time(message.at)}] {speaker(message)}")
    response = Response("\n".join(lines) + "\n", mimetype="text/plain")
    response.headers["Content-Disposition"] = 'attachment; filename="chat.txt"'
    return response


def speaker(message: Message) -> str:
    """One line of the visitor's saved copy: who said it, then what."""
    if message.author == "system":
        return system_text(message.text)
    if message.author == "visitor":
        return f"{_('You')}: {message.text}"
    return f"{_('Counsellor')}: {message.text}"


@bp.errorhandler(ChatNotFound)
def chat_not_found(error: ChatNotFound) -> ResponseReturnValue:
    g.setdefault("lang", "nl")
    return render_template("chat/gone.html", page=None), HTTPStatus.NOT_FOUND


@bp.errorhandler(StoreUnavailable)
def chat_unavailable(error: StoreUnavailable) -> ResponseReturnValue:
    """The chat store is down: say so and offer the phone; never a 500."""
    g.setdefault("lang", "nl")
    return render_template("chat/unavailable.html", page=None), HTTPStatus.SERVICE_UNAVAILABLE
