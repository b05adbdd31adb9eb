"""The counsellors' chat console: availability, the queue, taking, talking, ending, blocking.

Counsellors are staff accounts, so every view here is behind the staff gate (login, CSRF).
It works without JavaScript: the queue and one's chats come in a long-polling frame (which
also keeps the counsellor's "available" alive, see Limits.available_seconds), and so do each
chat's messages, like the visitor's.

Nothing here writes chat content anywhere but the chat store: not the database, not the
audit trail, not a log. Blocking ends the chat and revokes the visitor's token; no address
is known, so none is used.
"""

from __future__ import annotations

import hashlib
import time
from http import HTTPStatus

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import clock
from app.chat.canned import CannedResponse
from app.chat.side_threads import SideThread
from app.chat.store import (
    AtLimit,
    ChatGone,
    ChatInfo,
    EndReason,
    QueuedChat,
    StoreUnavailable,
    is_away,
    is_typing,
)
from app.chat.text import TooLong, clean_message
from app.chat.web import (
    chat_store,
    cursor,
    local_time,
    system_text,
    whole_number,
)
from app.counters.labels import wrapup_choices
from app.counters.metrics import Metric
from app.counters.web import count, count_chat_end
from app.db import db
from app.privacy import widen_csp
from app.staff.accounts import StaffUser
from app.staff.auth import current_user
from app.staff.blueprint import MENU, bp
from app.staff.side_panel import asks_of, side_context

OVERVIEW_POLL_SECONDS = 1.0
PRESENCE_POLL_SECONDS = 1.0  # how soon a chat's frame shows the visitor left or typing
END_REASONS = {
    "visitor": _l("The visitor ended the chat."),
    "quick_exit": _l("The visitor left with quick exit."),
    "counsellor": _l("You ended the chat."),
    "blocked": _l("You ended and blocked the chat."),
    "idle": _l("The chat ended automatically after a long time without messages."),
    "dropped": _l("The visitor left the queue."),
}


def me() -> int:
    user = current_user()
    assert user is not None  # the staff gate ran first  # noqa: S101
    return user.id


def own_chat(chat_id: str) -> ChatInfo:
    """One of this counsellor's chats (or its tombstone); 404 for anyone else's."""
    info = chat_store().get(chat_id, clock.seconds())
    if info is None or info.counsellor != me():
        abort(404)
    return info


@bp.errorhandler(StoreUnavailable)
def store_unavailable(_error: StoreUnavailable) -> ResponseReturnValue:
    body = render_template("staff/chat_unavailable.html")
    return body, HTTPStatus.SERVICE_UNAVAILABLE


def keep_available() -> bool:
    """Whether this counsellor is available; an open console or chat page keeps it so."""
    store, moment = chat_store(), clock.seconds()
    available = store.is_available(me(), moment)
    if available:
        store.set_available(me(), True, moment)
    return available


@bp.get("/chat")
def console() -> ResponseReturnValue:
    """The console: availability here; the queue and one's chats in a self-refreshing frame."""
    widen_csp(frame_src="'self'")
    return render_template("staff/chat_console.html", available=keep_available())


@bp.get("/chat/overview")
def overview() -> ResponseReturnValue:
    """The queue and this counsellor's chats, long-polled like the chat frames.

    With `?seen=`, the answer waits until the overview differs from what the frame showed, or
    CHAT_LONG_POLL_SECONDS pass. A page that reloads itself on a timer would fail WCAG 2.2.1; a
    frame that is answered when something changed does not.
    """
    widen_csp(frame_ancestors="'self'")
    seen = request.args.get("seen")
    deadline = time.monotonic() + current_app.config["CHAT_LONG_POLL_SECONDS"]
    while True:
        available, moment = keep_available(), clock.seconds()
        queue, chats = chat_store().queue(moment), chat_store().counsellor_chats(me(), moment)
        asks = asks_of(me())
        shown = _fingerprint(available, queue, chats, [thread for thread, _name in asks])
        if seen != shown or time.monotonic() >= deadline:
            break
        time.sleep(OVERVIEW_POLL_SECONDS)
    return render_template(
        "staff/chat_overview.html",
        available=available,
        queue=queue,
        chats=chats,
        asks=asks,
        shown=shown,
        max_parallel=chat_store().limits.max_parallel,
        end_reasons=END_REASONS,
        moment=moment,
        presence=presence,
    )


def _fingerprint(
    available: bool, queue: list[QueuedChat], chats: list[ChatInfo], asks: list[SideThread]
) -> str:
    """What the overview shows, in short: it is sent again only when this changes."""
    mine = [c.chat_id + c.state + presence(c) for c in chats]
    parts = [str(available)] + [q.chat_id for q in queue] + mine
    parts += ["asked " + thread.chat_id for thread in asks]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


@bp.post("/chat/available")
def set_available() -> ResponseReturnValue:
    chat_store().set_available(me(), request.form.get("available") == "1", clock.seconds())
    return redirect(url_for("staff.console"))


@bp.post("/chat/take")
def take_next() -> ResponseReturnValue:
    try:
        info = chat_store().claim_next(me(), clock.seconds())
    except AtLimit:
        flash(_("You already have the maximum number of chats. End one first."))
        return redirect(url_for("staff.console"))
    if info is None and chat_store().queue(clock.seconds()):
        # Everyone waiting is away (store.is_away): they keep their place for a short while.
        flash(_("The people waiting have not been seen for a moment: their page may be closed."))
        return redirect(url_for("staff.console"))
    if info is None:
        flash(_("Nobody is waiting."))
        return redirect(url_for("staff.console"))
    count(Metric.CHAT_ANSWERED)
    return redirect(url_for("staff.chat", chat_id=info.chat_id))


@bp.get("/chat/<chat_id>")
def chat(chat_id: str) -> ResponseReturnValue:
    return render_chat(own_chat(chat_id))


def render_chat(
    info: ChatInfo,
    error: str = "",
    draft: str = "",
    wrapup_error: str = "",
    side_form: tuple[str, str] = ("", ""),
) -> str:
    """A chat: its frame, the reply box (keeping a draft after an error), the actions and the
    side thread with a colleague (`side_form`: its own error and draft)."""
    widen_csp(frame_src="'self'")
    colleagues = [
        user
        for user in db.session.scalars(select(StaffUser).where(StaffUser.is_active))
        if user.id != me() and chat_store().is_available(user.id, clock.seconds())
    ]
    replies = db.session.scalars(select(CannedResponse).order_by(CannedResponse.title)).all()
    return render_template(
        "staff/chat.html",
        chat=info,
        colleagues=colleagues,
        replies=replies,
        error=error,
        draft=draft,
        end_reasons=END_REASONS,
        max_chars=chat_store().limits.message_max_chars,
        wrapup=wrapup_choices() if info.state == "ended" else [],
        wrapup_error=wrapup_error,
        side_error=side_form[0],
        side_draft=side_form[1],
        **side_context(info, me()),
    )


def presence(info: ChatInfo) -> str:
    """What the counsellor's frame shows of the visitor: "left" (no sign of life for
    Limits.present_seconds, store.is_away), "typing", or "here"."""
    limits, moment = chat_store().limits, clock.seconds()
    if info.state != "active":
        return "here"
    if is_away(info, limits, moment):
        return "left"
    return "typing" if is_typing(info, "visitor", limits, moment) else "here"


def wait_for_change(chat_id: str, after: int, shown: str) -> ChatInfo:
    """Long-poll for the frame: until a message comes, the chat ends, or the visitor's
    presence differs from what the frame shows, so "the visitor has left" and "typing"
    appear within about a second (ChatGone if the chat ends meanwhile)."""
    deadline = time.monotonic() + current_app.config["CHAT_LONG_POLL_SECONDS"]
    while True:
        remaining = max(0.0, deadline - time.monotonic())
        found = chat_store().wait(chat_id, after, min(PRESENCE_POLL_SECONDS, remaining))
        info = own_chat(chat_id)
        if found or info.state != "active" or presence(info) != shown or not remaining:
            return info


def next_turn() -> str:
    """For a frame's next long poll: "1" after "0" and the other way round.

    A poll that times out answers with the same cursor, and a meta refresh to the document's
    own address with a fragment (#latest) is only a jump within the page, not a new request:
    the frame would stop polling. An address that differs from the last one keeps it going.
    """
    return "0" if request.args.get("turn") == "1" else "1"


@bp.get("/chat/<chat_id>/frame")
def chat_frame(chat_id: str) -> ResponseReturnValue:
    widen_csp(frame_ancestors="'self'")
    info = own_chat(chat_id)
    keep_available()
    after = cursor(request.args.get("after"))
    messages = []
    if info.state != "ended":
        try:
            if after is not None:
                info = wait_for_change(chat_id, after, request.args.get("shown", "here"))
            messages = chat_store().messages(chat_id, 0) if info.state != "ended" else []
        except ChatGone:
            info = own_chat(chat_id)
    return render_template(
        "staff/chat_frame.html",
        chat=info,
        presence=presence(info),
        messages=messages,
        waiting=len(chat_store().queue(clock.seconds())),
        end_reasons=END_REASONS,
        local_time=local_time,
        system_text=system_text,
        next_turn=next_turn(),
    )


@bp.post("/chat/<chat_id>/send")
def send(chat_id: str) -> ResponseReturnValue:
    info = own_chat(chat_id)
    raw = request.form.get("message", "")
    reply_id = request.form.get("reply", "")
    reply_number = whole_number(reply_id)
    if reply_number is not None and not raw.strip():
        reply = db.session.get(CannedResponse, reply_number)
        raw = reply.body if reply else ""
    try:
        text = clean_message(raw, chat_store().limits.message_max_chars)
    except TooLong:
        message = _("The message is too long. Please split it.")
        return render_chat(info, message, raw), HTTPStatus.BAD_REQUEST
    if not text:
        message = _("Type a message or choose a ready-made reply.")
        return render_chat(info, message, raw), HTTPStatus.BAD_REQUEST
    if info.state != "active":
        message = _("The chat has ended; your message was not sent.")
        return render_chat(info, message, raw), HTTPStatus.CONFLICT
    try:
        chat_store().post(chat_id, "counsellor", text, clock.seconds(), by=me())
    except ChatGone:
        flash(_("The chat has ended; your message was not sent."))
    return redirect(url_for("staff.chat", chat_id=chat_id))


@bp.post("/chat/<chat_id>/typing")
def typing(chat_id: str) -> ResponseReturnValue:
    """The counsellor is typing (static/js/chat.js): the visitor sees "typing" or "a reply is
    coming". Only the moment is kept, never the words (app/chat/store.py, `typing`)."""
    own_chat(chat_id)
    try:
        chat_store().typing(chat_id, "counsellor", clock.seconds(), by=me())
    except ChatGone:
        return "", HTTPStatus.CONFLICT
    return "", HTTPStatus.NO_CONTENT


def _end(chat_id: str, reason: EndReason) -> ResponseReturnValue:
    own_chat(chat_id)
    count_chat_end(chat_store().end(chat_id, reason, clock.seconds(), by=me()))
    # To the ended chat's page: its optional wrap-up is there (app/staff/wrapup_views.py).
    return redirect(url_for("staff.chat", chat_id=chat_id))


@bp.post("/chat/<chat_id>/end")
def end(chat_id: str) -> ResponseReturnValue:
    return _end(chat_id, "counsellor")


@bp.post("/chat/<chat_id>/block")
def block(chat_id: str) -> ResponseReturnValue:
    """End an abusive chat; the visitor's token is dead from now on (it was the only key)."""
    return _end(chat_id, "blocked")


@bp.post("/chat/<chat_id>/transfer")
def transfer(chat_id: str) -> ResponseReturnValue:
    own_chat(chat_id)
    target = whole_number(request.form.get("to"))
    colleague = db.session.get(StaffUser, target) if target is not None else None
    if (
        colleague is None
        or not colleague.is_active
        or colleague.id == me()
        or not chat_store().is_available(colleague.id, clock.seconds())
    ):
        flash(_("Choose a colleague who is available."))
        return redirect(url_for("staff.chat", chat_id=chat_id))
    try:
        chat_store().transfer(chat_id, colleague.id, clock.seconds(), by=me())
    except AtLimit:
        flash(_("This colleague already has the maximum number of chats."))
        return redirect(url_for("staff.chat", chat_id=chat_id))
    except ChatGone:
        flash(_("The chat has ended."))
    else:
        flash(_("The chat is now with %(name)s.", name=colleague.username))
    return redirect(url_for("staff.console"))


@bp.post("/chat/<chat_id>/dismiss")
def dismiss(chat_id: str) -> ResponseReturnValue:
    """Posted from the console's frame, so the answer is the frame again."""
    chat_store().dismiss(chat_id, me())
    return redirect(url_for("staff.overview"))


MENU.append(("staff.console", _l("Chat")))
