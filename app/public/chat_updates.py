"""How a visitor's chat page learns what is new: a long-polling frame, or Server-Sent Events.

Without JavaScript, a frame long-polls: its GET waits up to CHAT_LONG_POLL_SECONDS for a new
message, then answers with the whole conversation and a meta refresh carrying the cursor.
With JavaScript, static/js/chat.js uses Server-Sent Events on the same store and cursor.
Both are GETs, and a frame's address does reach the browser's history and session files, so
neither carries the token: their path holds a view pass (app/chat/web.py, `view_pass`) that
works for about a minute, and every answer hands out a fresh one.

Each waiting frame or stream holds a slot (app/chat/streams.py): one per chat, the newest
wins, and past the process's cap a new one is answered at once and asked to come back later
instead of waiting, so streams can never take every connection the pages need.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http import HTTPStatus

from flask import Response, current_app, render_template, request, stream_with_context, url_for
from flask.typing import ResponseReturnValue

from app import clock
from app.chat.store import ChatGone, ChatInfo, ChatStore, Message, StoreUnavailable
from app.chat.streams import TooManyStreams
from app.chat.web import (
    ChatNotFound,
    ViewExpired,
    chat_by_hash,
    chat_of_pass,
    chat_store,
    cursor,
    local_time,
    rough_wait_minutes,
    stream_slots,
    system_text,
    view_pass,
)
from app.privacy import widen_csp
from app.public.blueprint import bp
from app.public.chat_feedback import key_after_end
from app.public.chat_views import CHAT

WAKE_SECONDS = 1.0  # how soon a waiting stream notices that a newer one replaced it
BUSY_SECONDS = 10  # how long a frame or stream turned away by the cap is asked to wait


def waiting_time(chat: ChatInfo) -> float:
    """How long a frame or stream waits for news (app/config.py, CHAT_*_SECONDS)."""
    config = current_app.config
    waiting = chat.state == "waiting"
    return float(config["CHAT_QUEUE_WAIT_SECONDS" if waiting else "CHAT_LONG_POLL_SECONDS"])


def wait_unless_replaced(
    store: ChatStore, chat_id: str, after: int, seconds: float, replaced: threading.Event
) -> list[Message]:
    """New messages after `after` within `seconds`; [] early once a newer stream took over."""
    deadline = time.monotonic() + seconds
    while True:
        found = store.wait(chat_id, after, max(0.0, min(WAKE_SECONDS, deadline - time.monotonic())))
        if found or replaced.is_set() or time.monotonic() >= deadline:
            return found


@bp.get(f"{CHAT}/<view>/frame")
def chat_frame(view: str) -> ResponseReturnValue:
    """The no-script frame: the queue or the conversation, refreshed by long-polling.

    It holds no form with the token: whoever opens a frame address still valid gets to see,
    for a minute at most, never to act as the visitor.
    """
    widen_csp(frame_ancestors="'self'")
    auto = request.args.get("auto", "1") != "0"
    # Shown in the waiting room: once a counsellor joins, point to the way to the conversation.
    queue = 1 if request.args.get("queue") == "1" else None
    after = cursor(request.args.get("after"))
    refresh_after = 0
    chat_id = ""
    try:
        hashed, info = chat_of_pass(view)
        chat_id = info.chat_id
        if after is not None and auto:
            wait = waiting_time(info)
            try:
                with stream_slots().slot(info.chat_id) as replaced:
                    wait_unless_replaced(chat_store(), info.chat_id, after, wait, replaced)
            except TooManyStreams:
                refresh_after = BUSY_SECONDS  # answer now; the next poll comes a little later
            info = chat_by_hash(hashed)
        messages = chat_store().messages(info.chat_id, 0)
    except ViewExpired:
        return render_template("chat/frame_expired.html", page=None), HTTPStatus.NOT_FOUND
    except (ChatNotFound, ChatGone):
        # Ended while this frame waited: the chat is known, so its end may be asked about.
        key = key_after_end(chat_id) if chat_id else None
        if key is not None:
            return render_template("chat/frame_ended.html", page=None, feedback_key=key)
        return render_template("chat/frame_gone.html", page=None), HTTPStatus.NOT_FOUND
    return render_template(
        "chat/frame.html",
        page=None,
        view=view_pass(hashed),
        chat=info,
        messages=messages,
        auto=auto,
        refresh_after=refresh_after,
        queue=queue,
        rough_wait=rough_wait_minutes(info.position or 0),
        local_time=local_time,
        system_text=system_text,
    )


@bp.get(f"{CHAT}/<view>/events")
def chat_events(view: str) -> Response:
    """Server-Sent Events for the script: messages after the cursor, and the chat's state.

    A `pass` event, at the start and before the stream ends, gives the address to connect to
    next (a fresh view pass and the cursor): the browser would reconnect to the old address
    by itself, and that one expires.
    """
    hashed, info = chat_of_pass(view)
    start = cursor(request.headers.get("Last-Event-ID", request.args.get("after"))) or 0
    store = chat_store()

    def renewal(seq: int) -> str:
        address = url_for("public.chat_events", view=view_pass(hashed), after=seq)
        return f"event: pass\ndata: {json.dumps(address)}\n\n"

    def events() -> Iterator[str]:
        state, seq, described = info, start, ""
        yield "retry: 2000\n\n"
        yield renewal(seq)
        try:
            with stream_slots().slot(info.chat_id) as replaced:
                yield from updates(state, seq, described, replaced)
        except TooManyStreams:
            yield f"event: busy\ndata: {BUSY_SECONDS}\n\n"

    def updates(
        state: ChatInfo, seq: int, described: str, replaced: threading.Event
    ) -> Iterator[str]:
        deadline = time.monotonic() + current_app.config["CHAT_EVENTS_SECONDS"]
        while time.monotonic() < deadline:
            description = json.dumps({"state": state.state, "position": state.position})
            if description != described:
                yield f"event: state\ndata: {description}\n\n"
                described = description
            wait = waiting_time(state)
            try:
                news = wait_unless_replaced(
                    store, state.chat_id, seq, min(wait, deadline - time.monotonic()), replaced
                )
                for message in news:
                    seq = message.seq
                    data = {"author": message.author, "text": message.text, "at": message.at}
                    yield f"id: {seq}\nevent: message\ndata: {json.dumps(data)}\n\n"
                if replaced.is_set():
                    yield "event: replaced\ndata: {}\n\n"  # the newest stream carries on
                    return
                found = store.find(hashed, clock.seconds())
            except StoreUnavailable:
                return  # not "ended": the browser reconnects and sees whether it is back
            except ChatGone:
                found = None
            if found is None:
                key = key_after_end(state.chat_id)  # the questions, unless after quick exit
                ended = {"state": "ended", "position": None, "feedback": key}
                yield f"event: state\ndata: {json.dumps(ended)}\n\n"
                return
            state = found
        yield renewal(seq)

    response = Response(stream_with_context(events()), mimetype="text/event-stream")
    response.headers["X-Accel-Buffering"] = "no"
    return response
