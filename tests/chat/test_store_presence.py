"""Chats that are really there (issue 13), on both backends with the test clock: a silent
waiting visitor leaves the queue, "take next" passes by a visitor who is away, a taken chat
shows the visitor away and back, and "typing now" is a moment that expires, never text."""

from __future__ import annotations

import inspect
import sqlite3

import pytest

from app.chat.store import ChatGone, ChatStore, Ended, is_away, is_typing
from tests.chat.conftest import T0

COUNSELLOR = 7
COLLEAGUE = 8
BEAT = 5  # how often an open event stream shows a sign of life (app/public/chat_updates.py)


def test_a_silent_waiting_visitor_leaves_the_queue_within_45_seconds(store: ChatStore) -> None:
    store.open("hash-gone", "", "hello", T0)
    assert store.sweep(T0 + 44) == [Ended("dropped", True, T0, T0 + 44)]
    assert store.queue(T0 + 44) == []
    assert store.find("hash-gone", T0 + 44) is None


def test_a_visitor_who_shows_signs_of_life_keeps_their_place(store: ChatStore) -> None:
    """What an open stream does every BEAT seconds (`find`) keeps a visitor in the queue and
    present for "take next", however long they wait."""
    chat = store.open("hash-here", "", "hello", T0).chat_id
    for moment in range(BEAT, 300, BEAT):
        store.find("hash-here", T0 + moment)
        assert store.sweep(T0 + moment) == []
    claimed = store.claim_next(COUNSELLOR, T0 + 300)
    assert claimed is not None
    assert claimed.chat_id == chat


def test_take_next_skips_a_visitor_who_is_away_and_takes_the_next_present_one(
    store: ChatStore,
) -> None:
    away = store.open("hash-away", "", "first in line", T0).chat_id
    here = store.open("hash-here", "", "second", T0 + 1).chat_id
    later = T0 + store.limits.present_seconds + 5  # before the sweep would end the first
    store.find("hash-here", later)
    claimed = store.claim_next(COUNSELLOR, later)
    assert claimed is not None
    assert claimed.chat_id == here
    # The one who was away keeps their place: back in time, they are the next one taken.
    assert [q.chat_id for q in store.queue(later)] == [away]
    assert store.claim_next(COLLEAGUE, later) is None
    store.find("hash-away", later + 1)
    back = store.claim_next(COLLEAGUE, later + 1)
    assert back is not None
    assert back.chat_id == away


def test_a_taken_chat_shows_the_visitor_away_and_back(store: ChatStore) -> None:
    chat = store.open("hash-a", "", "hello", T0).chat_id
    store.claim_next(COUNSELLOR, T0 + 1)
    limits = store.limits
    at_once = store.get(chat, T0 + 2)
    assert at_once is not None
    assert not is_away(at_once, limits, T0 + 2)
    silent = T0 + limits.present_seconds + 1
    away = store.get(chat, silent)
    assert away is not None
    assert is_away(away, limits, silent)
    assert [c.chat_id for c in store.counsellor_chats(COUNSELLOR, silent)] == [chat]
    assert store.sweep(silent) == []  # a taken chat is not ended for it (store.is_away)
    store.find("hash-a", silent + 1)  # the page is still open: the next poll or stream beat
    back = store.get(chat, silent + 1)
    assert back is not None
    assert not is_away(back, limits, silent + 1)


def test_typing_expires_by_itself_and_ends_with_the_message(store: ChatStore) -> None:
    chat = store.open("hash-a", "", "hello", T0).chat_id
    store.claim_next(COUNSELLOR, T0 + 1)
    limits = store.limits
    store.typing(chat, "counsellor", T0 + 2, by=COUNSELLOR)
    info = store.get(chat, T0 + 3)
    assert info is not None
    assert is_typing(info, "counsellor", limits, T0 + 3)
    assert not is_typing(info, "visitor", limits, T0 + 3)
    assert not is_typing(info, "counsellor", limits, T0 + 2 + limits.typing_seconds)
    store.typing(chat, "visitor", T0 + 4)
    store.post(chat, "visitor", "my words", T0 + 5)
    after = store.get(chat, T0 + 5)
    assert after is not None
    assert not is_typing(after, "visitor", limits, T0 + 5)
    assert is_typing(after, "counsellor", limits, T0 + 5)


def test_typing_is_a_moment_and_never_text(store: ChatStore) -> None:
    """The only things `typing` takes are the chat, the side, the moment and the counsellor
    acting: there is no place for a word of the message."""
    assert list(inspect.signature(store.typing).parameters) == ["chat_id", "who", "now", "by"]


def test_visitor_typing_is_a_sign_of_life(store: ChatStore) -> None:
    chat = store.open("hash-a", "", "hello", T0).chat_id
    store.claim_next(COUNSELLOR, T0 + 1)
    late = T0 + store.limits.present_seconds + 10
    store.typing(chat, "visitor", late)
    info = store.get(chat, late)
    assert info is not None
    assert not is_away(info, store.limits, late)


def test_typing_only_in_a_running_taken_chat_and_only_by_its_counsellor(
    store: ChatStore,
) -> None:
    chat = store.open("hash-a", "", "hello", T0).chat_id
    with pytest.raises(ChatGone):
        store.typing(chat, "visitor", T0 + 1)  # nobody has taken it yet
    store.claim_next(COUNSELLOR, T0 + 1)
    with pytest.raises(ChatGone):
        store.typing(chat, "counsellor", T0 + 2, by=COLLEAGUE)
    store.end(chat, "visitor", T0 + 3)
    with pytest.raises(ChatGone):
        store.typing(chat, "visitor", T0 + 4)


def test_nothing_of_presence_or_typing_survives_the_end(store: ChatStore) -> None:
    chat = store.open("hash-a", "", "hello", T0).chat_id
    store.claim_next(COUNSELLOR, T0 + 1)
    store.typing(chat, "visitor", T0 + 2)
    store.typing(chat, "counsellor", T0 + 2, by=COUNSELLOR)
    store.end(chat, "visitor", T0 + 3)
    tomb = store.get(chat, T0 + 3)
    assert tomb is not None
    assert (tomb.seen, tomb.visitor_typed, tomb.counsellor_typed) == (None, None, None)
    assert stored_presence(store, chat) == {}


def stored_presence(store: ChatStore, chat_id: str) -> dict[str, object]:
    """The typing times the backend itself still holds for a chat (not the store's view)."""
    from app.chat.redis_store import RedisChatStore
    from app.chat.sqlite_store import SqliteChatStore

    if isinstance(store, SqliteChatStore):
        db = sqlite3.connect(store.path)
        row = db.execute(
            "SELECT visitor_typed, counsellor_typed FROM chats WHERE chat_id = ?", (chat_id,)
        ).fetchone()
        db.close()
        return {k: v for k, v in zip(("visitor", "counsellor"), row, strict=True) if v}
    assert isinstance(store, RedisChatStore)
    client = store._redis  # noqa: SLF001 (the backend itself)
    held = client.hmget(f"{store.prefix}c:{chat_id}", ["vtyped", "ctyped", "seen"])
    return {k: v for k, v in zip(("vtyped", "ctyped", "seen"), held, strict=True) if v}
