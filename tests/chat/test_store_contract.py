"""The chat store contract, run on both backends (SQLite file and a real Redis server).

Every rule of app/chat/store.py: queue order and positions, the admission gate, claiming and
the per-counsellor limit, messages and cursors, rate limits, each way of ending, the tombstone,
availability, and the sweep that drops visitors who stop polling and closes idle chats.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from app.chat.store import AtLimit, ChatGone, ChatStore, Ended, QueueFull, RateLimited
from tests.chat.conftest import T0, make_store

COUNSELLOR = 7
COLLEAGUE = 8


def open_chat(store: ChatStore, name: str = "", first: str = "hello", now: float = T0) -> str:
    return store.open(f"hash-{name}-{now}", name, first, now).chat_id


def test_open_queues_with_first_message(store: ChatStore) -> None:
    info = store.open("hash-a", "Sam", "I want to talk", T0)
    assert (info.state, info.position, info.nickname, info.last_seq) == ("waiting", 1, "Sam", 1)
    assert store.find("hash-a", T0) == info
    [queued] = store.queue(T0)
    assert (queued.chat_id, queued.nickname, queued.first_message) == (
        info.chat_id,
        "Sam",
        "I want to talk",
    )
    [message] = store.messages(info.chat_id, 0)
    assert (message.seq, message.author, message.text) == (1, "visitor", "I want to talk")


def test_open_without_first_message(store: ChatStore) -> None:
    info = store.open("hash-a", "", "", T0)
    assert info.last_seq == 0
    assert store.messages(info.chat_id, 0) == []
    assert store.queue(T0)[0].first_message == ""


def test_unknown_token_finds_nothing(store: ChatStore) -> None:
    open_chat(store, "a")
    assert store.find("hash-unknown", T0) is None


def test_positions_move_up_when_someone_ahead_leaves(store: ChatStore) -> None:
    first = store.open("hash-1", "", "one", T0)
    store.open("hash-2", "", "two", T0 + 1)
    assert store.find("hash-2", T0 + 2).position == 2  # type: ignore[union-attr]
    store.end(first.chat_id, "visitor", T0 + 3)
    assert store.find("hash-2", T0 + 4).position == 1  # type: ignore[union-attr]
    assert [q.first_message for q in store.queue(T0 + 4)] == ["two"]


def test_full_queue_creates_nothing(
    tmp_path: Path, store_kind: str, request: pytest.FixtureRequest
) -> None:
    store = make_store(store_kind, tmp_path, request, max_waiting=2)
    store.open("hash-1", "", "one", T0)
    store.open("hash-2", "", "two", T0 + 1)
    with pytest.raises(QueueFull):
        store.open("hash-3", "", "three", T0 + 2)
    assert store.find("hash-3", T0 + 2) is None
    assert len(store.queue(T0 + 2)) == 2
    store.close()


def test_new_chats_per_minute_gate(
    tmp_path: Path, store_kind: str, request: pytest.FixtureRequest
) -> None:
    store = make_store(store_kind, tmp_path, request, new_per_minute=2)
    a = open_chat(store, "a", now=T0)
    open_chat(store, "b", now=T0 + 1)
    store.end(a, "visitor", T0 + 2)  # leaving frees a queue place, not the minute's quota
    with pytest.raises(QueueFull):
        store.open("hash-c", "", "c", T0 + 30)
    assert store.find("hash-c", T0 + 30) is None
    assert store.open("hash-d", "", "d", T0 + 61).state == "waiting"
    store.close()


def test_claim_takes_the_longest_waiting(store: ChatStore) -> None:
    first = open_chat(store, "a", now=T0)
    second = open_chat(store, "b", now=T0 + 1)
    claimed = store.claim_next(COUNSELLOR, T0 + 2)
    assert claimed is not None
    assert (claimed.chat_id, claimed.state, claimed.counsellor, claimed.position) == (
        first,
        "active",
        COUNSELLOR,
        None,
    )
    assert [m.text for m in store.messages(first, 1)] == ["joined"]
    assert store.messages(first, 1)[0].author == "system"
    assert [q.chat_id for q in store.queue(T0 + 2)] == [second]
    assert store.find("hash-b-" + str(T0 + 1), T0 + 2).position == 1  # type: ignore[union-attr]


def test_claim_with_empty_queue(store: ChatStore) -> None:
    assert store.claim_next(COUNSELLOR, T0) is None


def test_counsellor_at_the_limit_cannot_take_another(
    tmp_path: Path, store_kind: str, request: pytest.FixtureRequest
) -> None:
    store = make_store(store_kind, tmp_path, request, max_parallel=2)
    for i in range(3):
        open_chat(store, str(i), now=T0 + i)
    assert store.claim_next(COUNSELLOR, T0 + 5) is not None
    assert store.claim_next(COUNSELLOR, T0 + 5) is not None
    with pytest.raises(AtLimit):
        store.claim_next(COUNSELLOR, T0 + 6)
    assert len(store.queue(T0 + 6)) == 1  # the third is still waiting
    assert store.claim_next(COLLEAGUE, T0 + 7) is not None
    store.close()


def test_claims_race_never_share_a_chat(store: ChatStore) -> None:
    for i in range(6):
        open_chat(store, str(i), now=T0 + i)
    taken: list[str] = []
    lock = threading.Lock()

    def claim(counsellor: int) -> None:
        for _ in range(3):
            info = store.claim_next(counsellor, T0 + 10)
            if info:
                with lock:
                    taken.append(info.chat_id)

    threads = [threading.Thread(target=claim, args=(c,)) for c in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(taken) == 6
    assert len(set(taken)) == 6


def test_messages_both_ways_in_order_with_cursor(store: ChatStore) -> None:
    chat = open_chat(store, "a", first="first")
    store.claim_next(COUNSELLOR, T0 + 1)
    store.post(chat, "counsellor", "Hello, I am here.", T0 + 2)
    store.post(chat, "visitor", "Thank you", T0 + 3)
    texts = [(m.seq, m.author, m.text) for m in store.messages(chat, 0)]
    assert texts == [
        (1, "visitor", "first"),
        (2, "system", "joined"),
        (3, "counsellor", "Hello, I am here."),
        (4, "visitor", "Thank you"),
    ]
    assert [m.seq for m in store.messages(chat, 3)] == [4]
    assert store.messages(chat, 4) == []
    assert store.get(chat, T0 + 3).last_seq == 4  # type: ignore[union-attr]


def test_visitor_rate_limit_per_chat(
    tmp_path: Path, store_kind: str, request: pytest.FixtureRequest
) -> None:
    store = make_store(store_kind, tmp_path, request, visitor_messages_per_minute=3)
    chat = open_chat(store, "a", first="one")
    store.claim_next(COUNSELLOR, T0)
    store.post(chat, "visitor", "two", T0 + 1)
    store.post(chat, "visitor", "three", T0 + 2)
    with pytest.raises(RateLimited):
        store.post(chat, "visitor", "four", T0 + 3)
    store.post(chat, "counsellor", "counsellors are not limited", T0 + 3)
    store.post(chat, "visitor", "later", T0 + 61)
    assert [m.text for m in store.messages(chat, 0)][-2:] == [
        "counsellors are not limited",
        "later",
    ]
    store.close()


def test_wait_returns_new_messages_or_nothing(store: ChatStore) -> None:
    chat = open_chat(store, "a", first="")
    started = time.monotonic()
    assert store.wait(chat, 0, 0.5) == []
    assert time.monotonic() - started >= 0.4
    poster = threading.Thread(target=store.post, args=(chat, "counsellor", "hi", T0 + 1))
    poster.start()
    [message] = store.wait(chat, 0, 60)  # returns with the message, not after the minute
    assert message.text == "hi"
    poster.join(timeout=60)
    assert not poster.is_alive()


def test_wait_on_an_ended_chat(store: ChatStore) -> None:
    chat = open_chat(store, "a")
    ender = threading.Thread(target=store.end, args=(chat, "counsellor", T0 + 1))
    ender.start()
    with pytest.raises(ChatGone):
        store.wait(chat, 1, 60)
    ender.join(timeout=60)
    assert not ender.is_alive()


@pytest.mark.parametrize("reason", ["visitor", "counsellor", "quick_exit", "blocked"])
def test_end_wipes_and_leaves_a_tombstone(store: ChatStore, reason: str) -> None:
    chat = store.open("hash-a", "Sam", "first", T0).chat_id
    store.claim_next(COUNSELLOR, T0 + 1)
    store.post(chat, "visitor", "private words", T0 + 2)
    ended = store.end(chat, reason, T0 + 3)  # type: ignore[arg-type]
    assert ended == Ended(reason, was_waiting=False, created=T0, ended=T0 + 3)  # type: ignore[arg-type]
    assert store.find("hash-a", T0 + 3) is None
    with pytest.raises(ChatGone):
        store.messages(chat, 0)
    with pytest.raises(ChatGone):
        store.post(chat, "visitor", "again", T0 + 4)
    tomb = store.get(chat, T0 + 4)
    assert tomb is not None
    assert (tomb.state, tomb.end_reason, tomb.counsellor, tomb.nickname, tomb.last_seq) == (
        "ended",
        reason,
        COUNSELLOR,
        "",
        0,
    )
    assert tomb.ended == T0 + 3
    assert store.end(chat, "visitor", T0 + 5) is None  # twice is harmless, changes nothing
    assert store.get(chat, T0 + 5).end_reason == reason  # type: ignore[union-attr]


def test_counsellor_chats_and_dismiss(store: ChatStore) -> None:
    a = open_chat(store, "a", now=T0)
    b = open_chat(store, "b", now=T0 + 1)
    store.claim_next(COUNSELLOR, T0 + 2)
    store.claim_next(COUNSELLOR, T0 + 2)
    store.end(a, "quick_exit", T0 + 3)
    chats = store.counsellor_chats(COUNSELLOR, T0 + 4)
    assert [(c.chat_id, c.state) for c in chats] == [(a, "ended"), (b, "active")]
    assert store.counsellor_chats(COLLEAGUE, T0 + 4) == []
    store.dismiss(a, COLLEAGUE)  # not theirs: nothing happens
    assert store.get(a, T0 + 4) is not None
    store.dismiss(a, COUNSELLOR)
    assert store.get(a, T0 + 4) is None
    store.dismiss(b, COUNSELLOR)  # an active chat cannot be dismissed
    assert store.get(b, T0 + 4).state == "active"  # type: ignore[union-attr]


def test_transfer(tmp_path: Path, store_kind: str, request: pytest.FixtureRequest) -> None:
    store = make_store(store_kind, tmp_path, request, max_parallel=1)
    a = open_chat(store, "a", now=T0)
    b = open_chat(store, "b", now=T0 + 1)
    store.claim_next(COUNSELLOR, T0 + 2)
    store.claim_next(COLLEAGUE, T0 + 2)
    with pytest.raises(AtLimit):
        store.transfer(a, COLLEAGUE, T0 + 3)
    store.end(b, "visitor", T0 + 3)
    store.transfer(a, COLLEAGUE, T0 + 4)
    assert store.get(a, T0 + 4).counsellor == COLLEAGUE  # type: ignore[union-attr]
    assert store.messages(a, 0)[-1].text == "transferred"
    assert [c.chat_id for c in store.counsellor_chats(COUNSELLOR, T0 + 4)] == []
    with pytest.raises(ChatGone):
        store.transfer(b, COUNSELLOR, T0 + 5)
    store.close()


def test_availability_lapses(store: ChatStore) -> None:
    assert store.available_count(T0) == 0
    store.set_available(COUNSELLOR, True, T0)
    store.set_available(COLLEAGUE, True, T0 + 10)
    assert store.is_available(COUNSELLOR, T0 + 1)
    assert store.available_count(T0 + 11) == 2
    lapse = store.limits.available_seconds
    assert store.available_count(T0 + lapse + 1) == 1
    assert not store.is_available(COUNSELLOR, T0 + lapse + 1)
    store.set_available(COLLEAGUE, False, T0 + 12)
    assert store.available_count(T0 + 12) == 1
    assert not store.is_available(COLLEAGUE, T0 + 12)


def test_sweep_drops_a_visitor_who_stops_polling(store: ChatStore) -> None:
    gone = store.open("hash-gone", "", "one", T0).chat_id
    store.open("hash-here", "", "two", T0 + 1)
    limit = store.limits.waiting_gone_seconds
    store.find("hash-here", T0 + limit)  # still polling
    assert store.sweep(T0 + limit + 5) == [Ended("dropped", True, T0, T0 + limit + 5)]
    assert store.sweep(T0 + limit + 6) == []
    assert store.get(gone, T0 + limit + 5).end_reason == "dropped"  # type: ignore[union-attr]
    assert store.find("hash-here", T0 + limit + 5).position == 1  # type: ignore[union-attr]


def test_sweep_ends_idle_chats_and_forgets_old_tombstones(store: ChatStore) -> None:
    chat = open_chat(store, "a")
    store.claim_next(COUNSELLOR, T0)
    idle = store.limits.idle_seconds
    store.post(chat, "counsellor", "still there?", T0 + idle - 10)
    assert store.sweep(T0 + idle + 5) == []
    assert store.get(chat, T0 + idle + 5).state == "active"  # type: ignore[union-attr]
    assert store.sweep(T0 + 2 * idle) == [Ended("idle", False, T0, T0 + 2 * idle)]
    tomb = store.get(chat, T0 + 2 * idle)
    assert tomb is not None
    assert tomb.end_reason == "idle"
    store.sweep(T0 + 2 * idle + store.limits.tombstone_seconds + 1)
    assert store.get(chat, T0 + 2 * idle + store.limits.tombstone_seconds + 1) is None


def test_two_stores_on_one_backend_share_everything(
    tmp_path: Path, store_kind: str, request: pytest.FixtureRequest
) -> None:
    if store_kind == "sqlite":
        path = tmp_path / "shared.sqlite3"
        from app.chat.sqlite_store import SqliteChatStore

        one: ChatStore = SqliteChatStore(path)
        two: ChatStore = SqliteChatStore(path)
    else:
        from app.chat.redis_store import RedisChatStore

        url = request.getfixturevalue("redis_url")
        one = RedisChatStore(url, prefix="shared-test:")
        two = RedisChatStore(url, prefix="shared-test:")
    chat = one.open("hash-a", "", "hi", T0).chat_id
    assert two.claim_next(COUNSELLOR, T0 + 1) is not None
    # The post runs beside the wait, and ends before the stores close: a post still reading its
    # answer when its connection closes fails in its thread (seen on a loaded machine).
    poster = threading.Thread(target=two.post, args=(chat, "counsellor", "from two", T0 + 2))
    poster.start()
    assert [m.text for m in one.wait(chat, 2, 60)] == ["from two"]
    poster.join(timeout=60)
    assert not poster.is_alive()
    one.end(chat, "visitor", T0 + 3)
    one.close()
    two.close()


def test_rules_both_backends_share(store: ChatStore) -> None:
    """Details the backends must agree on: a waiting chat cannot be transferred, an old
    tombstone is gone even before a sweep, and the queue shows only the visitor's words."""
    waiting = open_chat(store, "a", first="")
    with pytest.raises(ChatGone):
        store.transfer(waiting, COLLEAGUE, T0 + 1)
    assert store.get(waiting, T0 + 1).counsellor is None  # type: ignore[union-attr]
    assert store.queue(T0 + 1)[0].first_message == ""
    store.end(waiting, "visitor", T0 + 2)
    assert store.get(waiting, T0 + 2 + store.limits.tombstone_seconds + 1) is None


def test_a_start_form_is_used_once(store: ChatStore) -> None:
    assert store.use_once("form-a", T0)
    assert not store.use_once("form-a", T0 + 1)
    assert store.use_once("form-b", T0 + 1)


def test_only_the_chats_counsellor_acts_on_it(store: ChatStore) -> None:
    """A counsellor whose chat was transferred a moment ago cannot post to it or end it."""
    chat = open_chat(store, "a")
    store.claim_next(COUNSELLOR, T0 + 1)
    store.transfer(chat, COLLEAGUE, T0 + 2, by=COUNSELLOR)
    with pytest.raises(ChatGone):
        store.post(chat, "counsellor", "too late", T0 + 3, by=COUNSELLOR)
    with pytest.raises(ChatGone):
        store.transfer(chat, COUNSELLOR, T0 + 3, by=COUNSELLOR)
    store.end(chat, "counsellor", T0 + 3, by=COUNSELLOR)
    assert store.get(chat, T0 + 3).state == "active"  # type: ignore[union-attr]
    store.post(chat, "counsellor", "hello", T0 + 4, by=COLLEAGUE)
    store.end(chat, "blocked", T0 + 5, by=COLLEAGUE)
    assert store.get(chat, T0 + 5).end_reason == "blocked"  # type: ignore[union-attr]


def stored_records(store: ChatStore) -> set[str]:
    """Everything the backend holds, read from the backend itself: SQLite rows per table,
    Redis keys under the store's prefix (with the members of its time-keyed sets)."""
    from app.chat.redis_store import RedisChatStore
    from app.chat.sqlite_store import SqliteChatStore

    if isinstance(store, SqliteChatStore):
        db = sqlite3.connect(store.path)
        tables = [
            name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        found = set()
        for table in tables:
            rows = db.execute(f"SELECT * FROM {table}")  # noqa: S608 (names from the file)
            found.update(f"{table}: {row}" for row in rows)
        db.close()
        return found
    assert isinstance(store, RedisChatStore)
    client = store._redis  # noqa: SLF001 (the backend itself, not the store's view of it)
    found = set()
    for key in client.scan_iter(f"{store.prefix}*"):
        name = key.removeprefix(store.prefix)
        if client.type(key) == "zset":
            found.update(f"{name}: {member}" for member in client.zrange(key, 0, -1))
        else:
            found.add(name)
    return found


def test_timing_data_is_kept_only_while_its_rule_needs_it(store: ChatStore) -> None:
    """Issue 16: start times (the per-minute gate) and used start forms were kept long after
    the chat, until the next one or for two hours. Every sweep now purges what is past: a
    minute on, the starts are gone while a chat still runs; once the forms have expired and
    the chats' tombstones are past, nothing is left at all."""
    store.set_available(COUNSELLOR, True, T0)
    assert store.use_once("form-a", T0)
    ended = store.open("hash-ended", "", "one", T0).chat_id
    assert store.use_once("form-b", T0)
    store.open("hash-running", "", "two", T0)
    store.claim_next(COUNSELLOR, T0 + 1)
    store.end(ended, "visitor", T0 + 2)

    store.find("hash-running", T0 + 61)
    store.sweep(T0 + 61)
    held = stored_records(store)
    assert [record for record in held if record.startswith(("admissions", "opened"))] == []
    assert store.find("hash-running", T0 + 61) is not None  # the running chat keeps its own

    forms_expired = (T0 // store.limits.start_form_seconds + 2) * store.limits.start_form_seconds
    store.sweep(forms_expired + 1)  # the waiting visitor stopped polling: dropped
    store.sweep(forms_expired + store.limits.tombstone_seconds + 2)
    assert stored_records(store) - {"serial"} == set()  # a counter of opens, no time in it


def test_starts_without_a_proof_hold_only_their_few_places(
    tmp_path: Path, store_kind: str, request: pytest.FixtureRequest
) -> None:
    """Issue 16, item 7: a flood of starts that did no work takes unproven_waiting places at
    most (and unproven_per_minute starts a minute); a start with a proof still gets in."""
    store = make_store(store_kind, tmp_path, request, unproven_waiting=2, unproven_per_minute=3)
    flood = []
    for n in range(10):
        with contextlib.suppress(QueueFull):
            flood.append(store.open(f"hash-flood-{n}", "", "x", T0 + n, proven=False).chat_id)
    assert len(flood) == 2
    assert store.open("hash-real", "", "help", T0 + 10, proven=True).position == 3
    store.claim_next(COUNSELLOR, T0 + 11)  # a place without proof frees up: one more may come
    store.open("hash-flood-later", "", "x", T0 + 12, proven=False)
    store.end(flood[1], "visitor", T0 + 13)  # a place is free, but not the minute's quota
    with pytest.raises(QueueFull):
        store.open("hash-flood-more", "", "x", T0 + 14, proven=False)
    assert store.open("hash-flood-next-minute", "", "x", T0 + 61, proven=False)
    store.close()
