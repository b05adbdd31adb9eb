"""How a visitor's chat page learns what is new: a long-polling frame, or Server-Sent Events.

Without JavaScript, a frame long-polls: its GET waits up to FRAME_WAIT_SECONDS for a new
message, then answers with the whole conversation and a meta refresh carrying the cursor.
With JavaScript, static/js/chat.js uses Server-Sent Events on the same store and cursor.
Both carry the token in their path (a frame's address is not a top-level history entry).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from http import HTTPStatus

from flask import Response, render_template, request
from flask.typing import ResponseReturnValue

from app.chat.store import ChatGone, StoreUnavailable
from app.chat.tokens import token_hash
from app.chat.web import (
    LONG_POLL_SECONDS,
    ChatNotFound,
    chat_store,
    cursor,
    local_time,
    now,
    rough_wait_minutes,
    system_text,
    visitor_chat,
)
from app.privacy import widen_csp
from app.public import bp
from app.public.chat_views import CHAT

FRAME_WAIT_SECONDS = LONG_POLL_SECONDS  # a name of its own here: tests shorten it
QUEUE_WAIT_SECONDS = 5  # while waiting, the position can change without a message
EVENTS_SECONDS = 25  # one Server-Sent Events connection; the browser reconnects by itself


@bp.get(f"{CHAT}/<token>/frame")
def chat_frame(token: str) -> ResponseReturnValue:
    """The no-script frame: the queue or the conversation, refreshed by long-polling."""
    widen_csp(frame_ancestors="'self'")
    auto = request.args.get("auto", "1") != "0"
    # Shown in the waiting room: once a counsellor joins, offer the way to the conversation.
    queue = 1 if request.args.get("queue") == "1" else None
    after = cursor(request.args.get("after"))
    try:
        info = visitor_chat(token)
        if after is not None and auto:
            wait = QUEUE_WAIT_SECONDS if info.state == "waiting" else FRAME_WAIT_SECONDS
            chat_store().wait(info.chat_id, after, wait)
            info = visitor_chat(token)
        messages = chat_store().messages(info.chat_id, 0)
    except (ChatNotFound, ChatGone):
        return render_template("chat/frame_gone.html", page=None), HTTPStatus.NOT_FOUND
    return render_template(
        "chat/frame.html",
        page=None,
        token=token,
        chat=info,
        messages=messages,
        auto=auto,
        queue=queue,
        rough_wait=rough_wait_minutes(info.position or 0),
        local_time=local_time,
        system_text=system_text,
    )


@bp.get(f"{CHAT}/<token>/events")
def chat_events(token: str) -> Response:
    """Server-Sent Events for the script: messages after the cursor, and the chat's state."""
    info = visitor_chat(token)
    start = cursor(request.headers.get("Last-Event-ID", request.args.get("after"))) or 0
    store = chat_store()
    hashed = token_hash(token)

    def events() -> Iterator[str]:
        state, seq, described = info, start, ""
        yield "retry: 2000\n\n"
        deadline = now() + EVENTS_SECONDS
        while now() < deadline:
            description = json.dumps({"state": state.state, "position": state.position})
            if description != described:
                yield f"event: state\ndata: {description}\n\n"
                described = description
            wait = QUEUE_WAIT_SECONDS if state.state == "waiting" else FRAME_WAIT_SECONDS
            try:
                for message in store.wait(state.chat_id, seq, min(wait, deadline - now())):
                    seq = message.seq
                    data = {"author": message.author, "text": message.text, "at": message.at}
                    yield f"id: {seq}\nevent: message\ndata: {json.dumps(data)}\n\n"
                found = store.find(hashed, now())
            except StoreUnavailable:
                return  # not "ended": the browser reconnects and sees whether it is back
            except ChatGone:
                found = None
            if found is None:
                yield 'event: state\ndata: {"state": "ended", "position": null}\n\n'
                return
            state = found

    response = Response(events(), mimetype="text/event-stream")
    response.headers["X-Accel-Buffering"] = "no"
    return response
