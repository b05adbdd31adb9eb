"""Asking a colleague inside a running chat: the side thread and the second reader (issue 13).

The counsellor who has a chat asks one available colleague (app/staff/side_panel.py,
`who_can_be_asked`); the two write in a side thread the visitor never sees. The colleague's
page shows the side thread only: not the visitor's conversation, and not even the visitor's
nickname or first message. The counsellor may then let the colleague read along; the store
tells the visitor in the same step (app/chat/side_threads.py), and only from then does the
colleague's reading frame answer. A reader reads and does not write to the visitor.

Like the rest of the console this works without JavaScript: both the side thread and the
reader's view of the chat are long-polled frames. Every POST here is behind the staff gate's
CSRF check; every GET answers 404 to anyone who is not one of the two (and 403 to the asked
colleague who was not added as a reader, for the chat itself).
"""

from __future__ import annotations

import time
from http import HTTPStatus

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app import clock
from app.chat.side_backends import side_threads_of
from app.chat.side_threads import AlreadyAsked, SideThread, SideThreadFull
from app.chat.store import ChatGone
from app.chat.text import TooLong, clean_message
from app.chat.web import chat_store, cursor, local_time, system_text, whole_number
from app.privacy import widen_csp
from app.staff.blueprint import bp
from app.staff.console_views import (
    OVERVIEW_POLL_SECONDS,
    keep_available,
    me,
    next_turn,
    own_chat,
    render_chat,
)
from app.staff.side_panel import name_of, who_can_be_asked


def side_of(chat_id: str) -> SideThread:
    """The side thread, for its counsellor or its colleague; 404 for anyone else, and once
    the chat has ended (then nothing of it is left to show)."""
    try:
        return side_threads_of(chat_store()).get(chat_id, by=me())
    except ChatGone:
        abort(404)


def back_to(thread: SideThread) -> ResponseReturnValue:
    """Each of the two goes back to their own page of the chat."""
    if thread.counsellor == me():
        return redirect(url_for("staff.chat", chat_id=thread.chat_id))
    return redirect(url_for("staff.side", chat_id=thread.chat_id))


def refuse(thread: SideThread, error: str, draft: str) -> ResponseReturnValue:
    """The writer's own page again, with the error and everything they typed (400)."""
    if thread.counsellor == me():
        page = render_chat(own_chat(thread.chat_id), side_form=(error, draft))
        return page, HTTPStatus.BAD_REQUEST
    return render_side(thread, error, draft), HTTPStatus.BAD_REQUEST


@bp.post("/chat/<chat_id>/ask")
def ask(chat_id: str) -> ResponseReturnValue:
    """The counsellor opens the chat's side thread to a colleague."""
    own_chat(chat_id)
    target = whole_number(request.form.get("to"))
    if target not in {user.id for user in who_can_be_asked(me())}:
        flash(_("Choose a colleague who is available."))
        return redirect(url_for("staff.chat", chat_id=chat_id))
    assert target is not None  # noqa: S101 (it is one of the colleagues' ids)
    try:
        side_threads_of(chat_store()).ask(chat_id, target, clock.seconds(), by=me())
    except AlreadyAsked:
        flash(_("You have asked a colleague in this chat already."))
    except ChatGone:
        flash(_("The chat has ended."))
    else:
        flash(_("%(name)s sees your question in their chat console.", name=name_of(target)))
    return redirect(url_for("staff.chat", chat_id=chat_id))


@bp.post("/chat/<chat_id>/side/send")
def side_send(chat_id: str) -> ResponseReturnValue:
    """A message in the side thread, from the counsellor or the colleague."""
    thread = side_of(chat_id)
    raw = request.form.get("message", "")
    try:
        text = clean_message(raw, chat_store().limits.message_max_chars)
    except TooLong:
        return refuse(thread, _("The message is too long. Please split it."), raw)
    if not text:
        return refuse(thread, _("Type a message first."), raw)
    try:
        side_threads_of(chat_store()).post(chat_id, text, clock.seconds(), by=me())
    except SideThreadFull:
        flash(_("This conversation between colleagues is full. Please talk in person or by phone."))
    except ChatGone:
        flash(_("The chat has ended."))
    return back_to(thread)


@bp.post("/chat/<chat_id>/reader")
def add_reader(chat_id: str) -> ResponseReturnValue:
    """The counsellor lets the colleague read along; the visitor is told in the same step."""
    own_chat(chat_id)
    try:
        side_threads_of(chat_store()).add_reader(chat_id, clock.seconds(), by=me())
    except ChatGone:
        flash(_("The chat has ended."))
    else:
        flash(_("Your colleague reads along. The visitor has been told."))
    return redirect(url_for("staff.chat", chat_id=chat_id))


@bp.get("/chat/<chat_id>/side")
def side(chat_id: str) -> ResponseReturnValue:
    """The asked colleague's page: the side thread, and the chat if they were added."""
    thread = side_of(chat_id)
    if thread.counsellor == me():
        return redirect(url_for("staff.chat", chat_id=chat_id))
    keep_available()
    return render_side(thread)


def render_side(thread: SideThread, error: str = "", draft: str = "") -> str:
    widen_csp(frame_src="'self'")
    return render_template(
        "staff/side.html",
        side=thread,
        counsellor=name_of(thread.counsellor),
        max_chars=chat_store().limits.message_max_chars,
        side_error=error,
        side_draft=draft,
    )


@bp.get("/chat/<chat_id>/side/frame")
def side_frame(chat_id: str) -> ResponseReturnValue:
    """The side thread's messages, long-polled: answered when there is a new one."""
    widen_csp(frame_ancestors="'self'")
    after = cursor(request.args.get("after"))
    deadline = time.monotonic() + current_app.config["CHAT_LONG_POLL_SECONDS"]
    try:
        thread = side_threads_of(chat_store()).get(chat_id, by=me())
        while after is not None and thread.last_seq <= after and time.monotonic() < deadline:
            time.sleep(OVERVIEW_POLL_SECONDS)
            thread = side_threads_of(chat_store()).get(chat_id, by=me())
        messages = side_threads_of(chat_store()).messages(chat_id, 0, by=me())
    except ChatGone:
        return render_template("staff/side_gone.html"), HTTPStatus.NOT_FOUND
    return render_template(
        "staff/side_frame.html",
        side=thread,
        messages=messages,
        mine="counsellor" if thread.counsellor == me() else "colleague",
        next_turn=next_turn(),
        local_time=local_time,
    )


@bp.get("/chat/<chat_id>/read/frame")
def read_frame(chat_id: str) -> ResponseReturnValue:
    """The chat as its second reader sees it: only once the visitor has been told.

    Whether `me()` may read is asked of the store before every read, so a reader whose chat
    ended, or anyone not added, never gets a message out of it.
    """
    widen_csp(frame_ancestors="'self'")
    side_threads = side_threads_of(chat_store())
    after = cursor(request.args.get("after"))
    try:
        thread = side_threads.get(chat_id, by=me())
        if not side_threads.reading(chat_id, by=me()):
            abort(403)
        if after is not None:
            chat_store().wait(chat_id, after, current_app.config["CHAT_LONG_POLL_SECONDS"])
            if not side_threads.reading(chat_id, by=me()):
                abort(403)
        messages = chat_store().messages(chat_id, 0)
    except ChatGone:  # ended (perhaps during the long poll), or not one's own: one answer
        return render_template("staff/side_gone.html"), HTTPStatus.NOT_FOUND
    info = chat_store().get(chat_id, clock.seconds())
    return render_template(
        "staff/read_frame.html",
        side=thread,
        nickname=info.nickname if info else "",
        messages=messages,
        last_seq=messages[-1].seq if messages else 0,
        next_turn=next_turn(),
        local_time=local_time,
        system_text=system_text,
    )
