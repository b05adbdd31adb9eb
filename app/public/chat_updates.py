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
from collections.abc import Callable, Iterator
from http import HTTPStatus

from flask import Response, current_app, render_template, request, stream_with_context, url_for
from flask.typing import ResponseReturnValue

from app import clock
from app.chat.store import ChatGone, ChatInfo, ChatStore, Message, StoreUnavailable, is_typing
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


def reply_coming(chat: ChatInfo) -> bool:
    """The counsellor is typing: "typing" with JavaScript, "a reply is coming" without."""
    return is_typing(chat, "counsellor", chat_store().limits, clock.seconds())


def wait_for_news(
    store: ChatStore, chat_id: str, after: int, seconds: float, stop: Callable[[], bool]
) -> list[Message]:
    """New messages after `after` within `seconds`; [] early once `stop` (asked about once a
    second) says so: a newer stream took over, or the page shows something old."""
    deadline = time.monotonic() + seconds
    while True:
        found = store.wait(chat_id, after, max(0.0, min(WAKE_SECONDS, deadline - time.monotonic())))
        if found or time.monotonic() >= deadline or stop():
            return found


def frame_watch(
    hashed: str, shown: ChatInfo, coming: bool, replaced: threading.Event
) -> Callable[[], bool]:
    """What a waiting frame checks about once a second: whether a newer stream took over,
    whether the chat's state or the counsellor's typing changed from what the frame shows
    (`shown`, `coming`), and every CHAT_BEAT_SECONDS
    it counts as the visitor's sign of life (a long poll of 25 seconds must not make a
    visitor without JavaScript look gone). A frame cannot tell whether its browser is still
    there until it answers, so for a visitor without JavaScript "gone" shows one long poll
    later than with it (docs/privacy.md, "Presence and typing")."""
    store, beat = chat_store(), float(current_app.config["CHAT_BEAT_SECONDS"])
    next_beat = time.monotonic() + beat

    def stop() -> bool:
        nonlocal next_beat
        if replaced.is_set():
            return True
        if time.monotonic() >= next_beat:
            store.find(hashed, clock.seconds())
            next_beat = time.monotonic() + beat
        current = store.get(shown.chat_id, clock.seconds())
        if current is None or current.state != shown.state:
            return True
        return current.state == "active" and reply_coming(current) != coming

    return stop


@bp.get(f"{CHAT}/<view>/frame")
def chat_frame(view: str) -> ResponseReturnValue:
    """The no-script frame: the queue or the conversation, refreshed by long-polling.

    It holds no form with the token: whoever opens a frame address still valid gets to see,
    for a minute at most, never to act as the visitor.
    """
    widen_csp(frame_ancestors="'self'")
    auto = request.args.get("auto", "1") != "0"
    coming = request.args.get("coming") == "1"  # the frame showed "a reply is coming"
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
                    stop = frame_watch(hashed, info, coming, replaced)
                    wait_for_news(chat_store(), info.chat_id, after, wait, stop)
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
        coming=info.state == "active" and reply_coming(info),
        rough_wait=rough_wait_minutes(info.position or 0),
        local_time=local_time,
        system_text=system_text,
    )


def describe(chat: ChatInfo) -> str:
    """What the script shows of the chat: its state, the place in the queue, and whether the
    counsellor is typing. A state event is sent whenever this changes."""
    typing = chat.state == "active" and reply_coming(chat)
    return json.dumps({"state": chat.state, "position": chat.position, "typing": typing})


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
        beat = float(current_app.config["CHAT_BEAT_SECONDS"])
        while time.monotonic() < deadline:
            description = describe(state)
            if description != described:
                yield f"event: state\ndata: {description}\n\n"
                described = description
            wait = min(waiting_time(state), beat, deadline - time.monotonic())
            try:
                news = wait_for_news(
                    store, state.chat_id, seq, wait, stop_when(replaced, described)
                )
                for message in news:
                    seq = message.seq
                    data = {"author": message.author, "text": message.text, "at": message.at}
                    yield f"id: {seq}\nevent: message\ndata: {json.dumps(data)}\n\n"
                if replaced.is_set():
                    yield "event: replaced\ndata: {}\n\n"  # the newest stream carries on
                    return
                # A write before the sign of life: once the browser has gone, writing fails
                # and ends this stream, so a closed page stops counting as present.
                yield ": beat\n\n"
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

    def stop_when(replaced: threading.Event, described: str) -> Callable[[], bool]:
        """Stop waiting when a newer stream took over or the chat's description changed."""

        def stop() -> bool:
            if replaced.is_set():
                return True
            current = store.get(info.chat_id, clock.seconds())
            return current is None or describe(current) != described

        return stop

    response = Response(stream_with_context(events()), mimetype="text/event-stream")
    response.headers["X-Accel-Buffering"] = "no"
    return response
