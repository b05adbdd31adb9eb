"""The chat store for the running app, and the checks every chat request shares.

The store is made once per process from CHAT_STORE_URL, on first use (a gunicorn worker makes
its own after the fork). Whether the chat is open combines two facts: the opening hours say
so, and at least one counsellor is available. If the store cannot be reached, the chat counts
as closed and pages say "call instead": a broken chat must never break a page.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import abort, current_app, g, request
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.exceptions import NotFound

from app import clock
from app.chat.sqlite_store import SqliteChatStore
from app.chat.store import ChatInfo, ChatStore, Limits, StoreUnavailable
from app.chat.streams import StreamSlots
from app.chat.tokens import is_well_formed, token_hash
from app.counters.web import count_chat_end
from app.page_inputs import Input, note_read

log = logging.getLogger(__name__)
SWEEP_EVERY = 1.0  # seconds; sweeping is cheap but needs a write, so not on every request
MINUTES_PER_PERSON = 5  # the rough wait shown in the queue: a guess, and said to be one
_lock = threading.Lock()
T = TypeVar("T")


def make_store(url: str, limits: Limits | None = None) -> ChatStore:
    if url.startswith("sqlite:///"):
        return SqliteChatStore(Path(url.removeprefix("sqlite:///")), limits)
    from app.chat.redis_store import RedisChatStore

    return RedisChatStore(url, limits or Limits())


def _per_process(name: str, make: Callable[[], T]) -> T:
    """The app's one `name` in this process, made on first use (a gunicorn worker makes its
    own after the fork); made under a lock, so two threads cannot make two."""
    extensions = current_app.extensions
    if name not in extensions:
        with _lock:
            if name not in extensions:
                extensions[name] = make()
    made: T = extensions[name]
    return made


def chat_store() -> ChatStore:
    """This process's store (StoreUnavailable if it cannot be opened)."""
    config = current_app.config
    store = _per_process(
        "chat_store",
        lambda: make_store(config["CHAT_STORE_URL"], Limits(**config["CHAT_LIMITS"])),
    )
    extensions = current_app.extensions
    moment = clock.seconds()
    if moment - extensions.get("chat_swept", 0.0) >= SWEEP_EVERY:
        extensions["chat_swept"] = moment
        for ended in store.sweep(moment):
            count_chat_end(ended)
    return store


def stream_slots() -> StreamSlots:
    """This process's open streams (app/chat/streams.py)."""
    return _per_process(
        "chat_streams", lambda: StreamSlots(chat_store().limits.streams_per_process)
    )


def chat_staffed() -> bool:
    """At least one counsellor is available now (False when the store is unreachable).

    Asked once per request: pages mention the chat's status several times.
    """
    note_read(Input.CHAT_STAFFED)  # before the memo: every render that asks is recorded
    if "chat_staffed" not in g:
        try:
            g.chat_staffed = chat_store().available_count(clock.seconds()) > 0
        except StoreUnavailable:
            log.error("chat store unavailable")
            g.chat_staffed = False
    staffed: bool = g.chat_staffed
    return staffed


class ChatNotFound(NotFound):
    """A malformed, unknown, ended or someone else's token: one answer for all of them."""


class ViewExpired(ChatNotFound):
    """A view pass that was real but is too old: whether the chat still runs is not told."""


def visitor_chat(token: str) -> ChatInfo:
    """The visitor's chat, or ChatNotFound (the same 404 whatever was wrong with the token)."""
    if not is_well_formed(token):
        raise ChatNotFound
    return chat_by_hash(token_hash(token))


def chat_by_hash(hashed: str) -> ChatInfo:
    info = chat_store().find(hashed, clock.seconds())
    if info is None:
        raise ChatNotFound
    return info


def _view_passes() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="chat-view")


def view_pass(hashed: str) -> str:
    """A short-lived pass to one chat's frame and event stream, for their GET addresses.

    Those addresses reach the browser's history and session files (issue 16), so they must
    never carry the token: a pass is the token's hash, signed and dated, and works for
    Limits.view_seconds. Each poll answers with a fresh one, so the visitor's own page keeps
    working while an address copied from the history is dead within a minute, and at once when
    the chat ends. The hash grants nothing on its own: every form wants the token itself.
    """
    return str(_view_passes().dumps(hashed))


def chat_of_pass(view: str) -> tuple[str, ChatInfo]:
    """(token hash, chat) of a current view pass; ViewExpired or ChatNotFound (both 404)."""
    try:
        hashed = _view_passes().loads(view, max_age=chat_store().limits.view_seconds)
    except SignatureExpired as error:
        raise ViewExpired from error
    except BadSignature as error:
        raise ChatNotFound from error
    if not isinstance(hashed, str):
        raise ChatNotFound
    return hashed, chat_by_hash(hashed)


def require_same_origin() -> None:
    """Refuse a POST that another site made the browser send (403).

    A token alone would stop a forged POST from doing harm (another site cannot know it), but
    the issue asks for belt and braces: browsers say where a request comes from in
    Sec-Fetch-Site, and older ones in Origin. Our pages send `Referrer-Policy: no-referrer`, so
    a browser without Sec-Fetch-Site sends `Origin: null` even for our own forms; that, and a
    request with neither header (curl), is allowed: the token still guards it.
    """
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        if site not in ("same-origin", "none"):
            abort(403)
        return
    origin = request.headers.get("Origin", "null")
    if origin != "null" and urlsplit(origin).netloc != request.host:
        abort(403)


MAX_CURSOR = 2**31  # far beyond any chat; keeps a forged cursor inside the stores' integers


WHOLE_NUMBER = re.compile(r"[0-9]{1,10}")  # ASCII digits only: "²".isdigit() is True


def whole_number(raw: str | None, maximum: int = MAX_CURSOR) -> int | None:
    """A form or query value as a number from 0 to `maximum`, else None (never an error)."""
    if raw is None or not WHOLE_NUMBER.fullmatch(raw):
        return None
    number = int(raw)
    return number if number <= maximum else None


def cursor(raw: str | None) -> int | None:
    """A message cursor from a query or Last-Event-ID; a forged huge one is simply the end."""
    if raw is not None and WHOLE_NUMBER.fullmatch(raw):
        return min(int(raw), MAX_CURSOR)
    return None


def rough_wait_minutes(position: int) -> int:
    return position * MINUTES_PER_PERSON


def local_time(moment: float, pattern: str = "%H:%M") -> str:
    """A moment in the helpline's time zone, as the people in the chat read the clock."""
    zone = ZoneInfo(current_app.config["HOURS_TIMEZONE"])
    return dt.datetime.fromtimestamp(moment, zone).strftime(pattern)


def system_text(event: str) -> str:
    """A system message's event code in words; both sides read the same sentence."""
    if event == "joined":
        return _("A counsellor has joined the chat.")
    if event == "transferred":
        return _("Another counsellor has taken over the chat.")
    if event == "reader":  # app/chat/side_threads.py: posted before a colleague may read
        return _("A colleague is reading along and can see this conversation.")
    return event
