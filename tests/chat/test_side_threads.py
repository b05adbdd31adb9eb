"""The side-thread contract (app/chat/side_threads.py), on both backends: asking a colleague
inside a chat, writing there, adding them as a second reader, and the wipe at the end."""

from __future__ import annotations

import threading

import pytest

from app.chat.side_backends import side_threads_of
from app.chat.side_threads import (
    MAX_SIDE_MESSAGES,
    READER_EVENT,
    AlreadyAsked,
    SideThread,
    SideThreadFull,
)
from app.chat.store import ChatGone, ChatStore
from tests.chat.conftest import T0

COUNSELLOR, COLLEAGUE, STRANGER = 7, 8, 9


def running_chat(store: ChatStore, name: str = "a") -> str:
    chat = store.open(f"hash-{name}", "Sam", "first words", T0).chat_id
    store.claim_next(COUNSELLOR, T0 + 1)
    return chat


def asked_chat(store: ChatStore) -> str:
    chat = running_chat(store)
    side_threads_of(store).ask(chat, COLLEAGUE, T0 + 2, by=COUNSELLOR)
    return chat


def test_the_side_thread_is_never_in_the_visitors_messages(store: ChatStore) -> None:
    chat = asked_chat(store)
    side = side_threads_of(store)
    side.post(chat, "Can you help with this one?", T0 + 3, by=COUNSELLOR)
    side.post(chat, "Ask about the weekend", T0 + 4, by=COLLEAGUE)
    store.post(chat, "counsellor", "to the visitor", T0 + 5, by=COUNSELLOR)
    texts = [m.text for m in store.messages(chat, 0)]
    assert texts == ["first words", "joined", "to the visitor"]
    assert [m.text for m in store.wait(chat, 2, 0.1)] == ["to the visitor"]
    info = store.find("hash-a", T0 + 6)
    assert info is not None
    assert info.last_seq == 3  # side messages take no place in the chat's own cursor
    said = [(m.seq, m.author, m.text) for m in side.messages(chat, 0, by=COLLEAGUE)]
    assert said == [
        (1, "counsellor", "Can you help with this one?"),
        (2, "colleague", "Ask about the weekend"),
    ]
    assert [m.seq for m in side.messages(chat, 1, by=COUNSELLOR)] == [2]


def test_only_the_counsellor_asks_and_only_once(store: ChatStore) -> None:
    chat = running_chat(store)
    side = side_threads_of(store)
    with pytest.raises(ChatGone):
        side.ask(chat, COLLEAGUE, T0 + 2, by=STRANGER)
    with pytest.raises(ChatGone):
        side.ask(chat, COUNSELLOR, T0 + 2, by=COUNSELLOR)  # not oneself
    waiting = store.open("hash-w", "", "", T0 + 2).chat_id
    with pytest.raises(ChatGone):
        side.ask(waiting, COLLEAGUE, T0 + 2, by=COUNSELLOR)
    assert side.ask(chat, COLLEAGUE, T0 + 3, by=COUNSELLOR) == SideThread(
        chat, COUNSELLOR, COLLEAGUE, reading=False, last_seq=0
    )
    with pytest.raises(AlreadyAsked):
        side.ask(chat, STRANGER, T0 + 4, by=COUNSELLOR)
    assert side.find(chat) == SideThread(chat, COUNSELLOR, COLLEAGUE, False, 0)
    assert side.find(waiting) is None


def test_only_the_two_of_them_use_the_side_thread(store: ChatStore) -> None:
    chat = asked_chat(store)
    side = side_threads_of(store)
    with pytest.raises(ChatGone):
        side.post(chat, "let me in", T0 + 3, by=STRANGER)
    with pytest.raises(ChatGone):
        side.messages(chat, 0, by=STRANGER)
    with pytest.raises(ChatGone):
        side.get(chat, by=STRANGER)
    assert side.get(chat, by=COLLEAGUE).colleague == COLLEAGUE
    assert [t.chat_id for t in side.asked(COLLEAGUE)] == [chat]
    assert side.asked(STRANGER) == []


def test_the_side_thread_has_a_cap(store: ChatStore) -> None:
    chat = asked_chat(store)
    side = side_threads_of(store)
    for i in range(MAX_SIDE_MESSAGES):
        side.post(chat, f"note {i}", T0 + 3, by=COUNSELLOR if i % 2 else COLLEAGUE)
    with pytest.raises(SideThreadFull):
        side.post(chat, "one more", T0 + 4, by=COUNSELLOR)
    assert len(side.messages(chat, 0, by=COUNSELLOR)) == MAX_SIDE_MESSAGES


def test_adding_a_reader_tells_the_visitor_first(store: ChatStore) -> None:
    chat = asked_chat(store)
    side = side_threads_of(store)
    assert side.reading(chat, by=COLLEAGUE) is False
    with pytest.raises(ChatGone):
        side.add_reader(chat, T0 + 3, by=COLLEAGUE)  # only the counsellor adds a reader
    with pytest.raises(ChatGone):
        side.add_reader(chat, T0 + 3, by=STRANGER)
    assert side.reading(chat, by=COLLEAGUE) is False
    told = side.add_reader(chat, T0 + 4, by=COUNSELLOR)
    assert told is not None
    assert (told.author, told.text) == ("system", READER_EVENT)
    assert side.reading(chat, by=COLLEAGUE) is True
    assert side.reading(chat, by=COUNSELLOR) is False  # the counsellor is no reader of it
    last = store.messages(chat, 0)[-1]
    assert (last.seq, last.author, last.text) == (told.seq, "system", READER_EVENT)
    assert side.add_reader(chat, T0 + 5, by=COUNSELLOR) is None  # told once, not twice
    assert [m.text for m in store.messages(chat, 0)].count(READER_EVENT) == 1


def test_a_reader_never_reads_before_the_visitor_was_told(store: ChatStore) -> None:
    """A colleague polling while the counsellor adds them: at every moment the colleague is
    allowed to read, the chat already holds the message to the visitor."""
    chat = asked_chat(store)
    side = side_threads_of(store)
    seen: list[bool] = []
    observed, done = threading.Event(), threading.Event()

    def colleague_polls() -> None:
        while not done.is_set():
            if side.reading(chat, by=COLLEAGUE):
                seen.append(READER_EVENT in [m.text for m in store.messages(chat, 0)])
                observed.set()

    poller = threading.Thread(target=colleague_polls)
    poller.start()
    side.add_reader(chat, T0 + 3, by=COUNSELLOR)
    observed.wait(timeout=60)
    done.set()
    poller.join(timeout=60)
    assert seen
    assert all(seen)


@pytest.mark.parametrize("reason", ["visitor", "counsellor", "quick_exit", "blocked"])
def test_ending_the_chat_ends_the_side_thread_and_the_reader(store: ChatStore, reason: str) -> None:
    chat = asked_chat(store)
    side = side_threads_of(store)
    side.post(chat, "a private note", T0 + 3, by=COUNSELLOR)
    side.add_reader(chat, T0 + 4, by=COUNSELLOR)
    store.end(chat, reason, T0 + 5)  # type: ignore[arg-type]
    assert side.find(chat) is None
    assert side.asked(COLLEAGUE) == []
    for call in (
        lambda: side.messages(chat, 0, by=COLLEAGUE),
        lambda: side.reading(chat, by=COLLEAGUE),
        lambda: side.post(chat, "after", T0 + 6, by=COLLEAGUE),
        lambda: side.get(chat, by=COUNSELLOR),
    ):
        with pytest.raises(ChatGone):
            call()
    tomb = store.get(chat, T0 + 6)
    assert tomb is not None
    assert (tomb.state, tomb.nickname, tomb.last_seq) == ("ended", "", 0)


def test_a_swept_idle_chat_takes_its_side_thread_along(store: ChatStore) -> None:
    chat = asked_chat(store)
    side_threads_of(store).post(chat, "a private note", T0 + 3, by=COLLEAGUE)
    store.sweep(T0 + store.limits.idle_seconds + 60)
    assert side_threads_of(store).find(chat) is None
    assert side_threads_of(store).asked(COLLEAGUE) == []


def test_the_side_thread_stays_with_a_transferred_chat(store: ChatStore) -> None:
    chat = asked_chat(store)
    store.transfer(chat, STRANGER, T0 + 3, by=COUNSELLOR)
    side = side_threads_of(store)
    assert side.get(chat, by=STRANGER).counsellor == STRANGER
    with pytest.raises(ChatGone):
        side.post(chat, "still mine?", T0 + 4, by=COUNSELLOR)
    assert side.post(chat, "I have it now", T0 + 4, by=STRANGER).author == "counsellor"
