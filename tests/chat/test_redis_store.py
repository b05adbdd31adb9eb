"""The Redis backend against a real redis-server: what the shared contract cannot see.

Every key carries a TTL at every step; after each way of ending, nothing of the conversation
is left in any key name or value; two stores (two machines) share waits and never share a
claim; the TTLs really expire in real time; an unreachable server is StoreUnavailable; and the
shipped deploy/redis.conf.example really starts a private, disk-less server.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from app.chat.redis_store import MARGIN, RedisChatStore
from app.chat.side_backends import side_threads_of
from app.chat.store import ChatGone, ChatStore, EndReason, Limits, RateLimited, StoreUnavailable
from tests.chat.conftest import T0
from tests.chat.redis_server import free_port, running_redis

ROOT = Path(__file__).resolve().parents[2]
COUNSELLOR = 7
COLLEAGUE = 8
NewStore = Callable[..., RedisChatStore]
Client = Any  # a redis.Redis: its hints also allow the asyncio client's awaitables


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_redis(tmp_path_factory.mktemp("redis")) as server_url:
        yield server_url


@pytest.fixture
def client(url: str) -> Iterator[Client]:
    connection = redis.Redis.from_url(url, decode_responses=True)
    yield connection
    connection.close()


@pytest.fixture
def new_store(url: str) -> Iterator[NewStore]:
    """Make stores on the test server (own prefix unless given); all closed after the test."""
    made: list[RedisChatStore] = []

    def make(prefix: str = "", ttl_margin: int = MARGIN, **limits: int) -> RedisChatStore:
        prefix = prefix or f"t-{secrets.token_hex(6)}:"
        made.append(RedisChatStore(url, Limits(**limits), prefix, ttl_margin=ttl_margin))
        return made[-1]

    yield make
    for store in made:
        store.close()


PATIENCE = 30.0  # seconds: generous, since every wait below ends on its event long before


def wait_until_a_reader_blocks(client: Client) -> None:
    """Until a store's wait is blocked in XREAD on the server: the moment to post or end."""
    deadline = time.monotonic() + PATIENCE
    while not any(
        entry.get("cmd") == "xread" and "b" in entry.get("flags", "")
        for entry in client.client_list()
    ):
        assert time.monotonic() < deadline, "no store is waiting on the server"
        time.sleep(0.02)


def dump(client: Client) -> dict[str, str]:
    """Every key of the server with everything it holds, whatever its type, as text."""
    contents = {}
    for key in client.scan_iter(count=1000):
        kind = client.type(key)
        if kind == "string":
            value: object = client.get(key)
        elif kind == "hash":
            value = client.hgetall(key)
        elif kind == "list":
            value = client.lrange(key, 0, -1)
        elif kind == "set":
            value = client.smembers(key)
        elif kind == "zset":
            value = client.zrange(key, 0, -1, withscores=True)
        elif kind == "stream":
            value = client.xrange(key)
        else:
            pytest.fail(f"unexpected key type {kind}")
        contents[key] = repr(value)
    return contents


def keys_without_ttl(client: Client) -> list[str]:
    return [key for key in client.scan_iter(count=1000) if client.ttl(key) < 0]


def test_the_helper_starts_a_server_without_persistence(client: Client) -> None:
    assert client.config_get("save") == {"save": ""}
    assert client.config_get("appendonly") == {"appendonly": "no"}
    assert client.config_get("bind")["bind"] == "127.0.0.1"


def test_every_key_has_a_ttl_at_every_step(new_store: NewStore, client: Client) -> None:
    client.flushdb()
    store = new_store(prefix="chat:")
    other = new_store(prefix="chat:")  # a second machine
    limits = store.limits
    steps: list[tuple[str, Callable[[], object]]] = [
        ("open", lambda: store.open("hash-a", "Sam", "first words", T0)),
        ("open another", lambda: other.open("hash-b", "", "", T0 + 1)),
        ("find", lambda: store.find("hash-a", T0 + 2)),
        ("available", lambda: store.set_available(COUNSELLOR, True, T0 + 2)),
        ("claim", lambda: other.claim_next(COUNSELLOR, T0 + 3)),
    ]
    for name, step in steps:
        step()
        assert client.dbsize() > 0
        assert keys_without_ttl(client) == [], name
    chat = store.get(store.find("hash-a", T0 + 4).chat_id, T0 + 4)  # type: ignore[union-attr]
    assert chat is not None
    assert chat.state == "active"
    side, other_side = side_threads_of(store), side_threads_of(other)
    more: list[tuple[str, Callable[[], object]]] = [
        ("visitor posts", lambda: store.post(chat.chat_id, "visitor", "hello", T0 + 5)),
        ("counsellor posts", lambda: other.post(chat.chat_id, "counsellor", "hi", T0 + 6)),
        ("ask", lambda: side.ask(chat.chat_id, COLLEAGUE, T0 + 6, by=COUNSELLOR)),
        ("side post", lambda: other_side.post(chat.chat_id, "hm", T0 + 6, by=COLLEAGUE)),
        ("reader", lambda: side.add_reader(chat.chat_id, T0 + 6, by=COUNSELLOR)),
        ("transfer", lambda: store.transfer(chat.chat_id, COLLEAGUE, T0 + 7)),
        ("wait", lambda: other.wait(chat.chat_id, 0, 0.1)),
        ("end", lambda: other.end(chat.chat_id, "visitor", T0 + 8)),
        ("sweep drops the other", lambda: store.sweep(T0 + limits.waiting_gone_seconds + 10)),
        ("dismiss", lambda: store.dismiss(chat.chat_id, COLLEAGUE)),
    ]
    for name, step in more:
        step()
        assert client.dbsize() > 0
        assert keys_without_ttl(client) == [], name
    longest = max(limits.idle_seconds, limits.waiting_gone_seconds, limits.tombstone_seconds) + 60
    assert all(0 < client.ttl(key) <= longest for key in client.scan_iter())
    store.sweep(T0 + 10 * limits.tombstone_seconds)  # tombstones and availability go
    assert not any(key.startswith("chat:c:") for key in client.scan_iter())
    assert client.zcard("chat:available") == 0


def _end_by_visitor(store: ChatStore, chat_id: str) -> None:
    store.end(chat_id, "visitor", T0 + 10)


def _claim_then(reason: EndReason) -> Callable[[ChatStore, str], None]:
    def end(store: ChatStore, chat_id: str) -> None:
        store.end(chat_id, reason, T0 + 10)

    return end


def _idle(store: ChatStore, chat_id: str) -> None:
    store.sweep(T0 + store.limits.idle_seconds + 60)


def _dropped(store: ChatStore, chat_id: str) -> None:
    store.sweep(T0 + store.limits.waiting_gone_seconds + 60)


ENDINGS: dict[str, tuple[bool, Callable[[ChatStore, str], None]]] = {
    # reason: (claimed by a counsellor first, how it ends)
    "visitor": (True, _end_by_visitor),
    "counsellor": (True, _claim_then("counsellor")),
    "quick_exit": (True, _claim_then("quick_exit")),
    "blocked": (True, _claim_then("blocked")),
    "idle": (True, _idle),
    "dropped": (False, _dropped),
}


@pytest.mark.parametrize("reason", ENDINGS)
def test_ending_leaves_nothing_but_the_tombstone(
    new_store: NewStore, client: Client, marker: str, reason: str
) -> None:
    claimed, ending = ENDINGS[reason]
    store = new_store(visitor_messages_per_minute=3)
    token_hash = "hash" + marker
    chat_id = store.open(token_hash, "nick" + marker, "first" + marker, T0).chat_id
    if claimed:
        store.claim_next(COUNSELLOR, T0 + 1)
        store.post(chat_id, "visitor", "visitor" + marker, T0 + 2)
        store.post(chat_id, "counsellor", "counsellor" + marker, T0 + 3)
        store.post(chat_id, "visitor", "more" + marker, T0 + 4)
        with pytest.raises(RateLimited) as refused:
            store.post(chat_id, "visitor", "flood" + marker, T0 + 5)
        assert marker not in str(refused.value)
        side = side_threads_of(store)  # a colleague asked, answering, then reading along
        side.ask(chat_id, COLLEAGUE, T0 + 5, by=COUNSELLOR)
        side.post(chat_id, "side" + marker, T0 + 5, by=COUNSELLOR)
        side.post(chat_id, "answer" + marker, T0 + 5, by=COLLEAGUE)
        side.add_reader(chat_id, T0 + 5, by=COUNSELLOR)
    everything = repr(dump(client))
    parts = ("visitor", "counsellor", "side", "answer") if claimed else ()
    for part in ("hash", "nick", "first", *parts):
        assert part + marker in everything  # the scan does see content while the chat runs

    ending(store, chat_id)

    assert marker not in repr(dump(client))
    assert keys_without_ttl(client) == []
    # Of the chat's keys (messages, rate counter, token, side thread and its messages) only
    # the tombstone is left.
    assert [key for key in client.scan_iter() if chat_id in key] == [f"{store.prefix}c:{chat_id}"]
    tombstone_fields = {"state", "counsellor", "created", "n", "reason", "ended"}
    assert set(client.hgetall(f"{store.prefix}c:{chat_id}")) == tombstone_fields
    tomb = store.get(chat_id, T0 + 100)
    assert tomb is not None
    assert (tomb.state, tomb.end_reason, tomb.nickname, tomb.last_seq) == ("ended", reason, "", 0)
    assert tomb.counsellor == (COUNSELLOR if claimed else None)
    with pytest.raises(ChatGone) as gone:
        store.post(chat_id, "visitor", "after" + marker, T0 + 101)
    assert marker not in str(gone.value)
    assert marker not in repr(dump(client))


def test_a_wait_on_one_machine_wakes_on_a_post_from_another(
    new_store: NewStore, client: Client
) -> None:
    """The wait would last 120 s; it answers once the other machine posts."""
    one = new_store(prefix="shared-wake:")
    two = new_store(prefix="shared-wake:")
    chat_id = one.open("hash-w", "", "", T0).chat_id
    result: list[object] = []
    waiter = threading.Thread(target=lambda: result.extend(one.wait(chat_id, 0, 120)))
    waiter.start()
    wait_until_a_reader_blocks(client)
    two.post(chat_id, "counsellor", "across machines", T0 + 1)
    waiter.join(timeout=PATIENCE)
    assert not waiter.is_alive(), "the wait did not wake on the post"
    assert [getattr(m, "text", None) for m in result] == ["across machines"]


def test_a_wait_on_one_machine_notices_an_end_on_another(
    new_store: NewStore, client: Client
) -> None:
    one = new_store(prefix="shared-end:")
    two = new_store(prefix="shared-end:")
    chat_id = one.open("hash-e", "", "", T0).chat_id
    raised: list[BaseException] = []

    def wait() -> None:
        try:
            one.wait(chat_id, 0, 120)
        except ChatGone as error:
            raised.append(error)

    waiter = threading.Thread(target=wait)
    waiter.start()
    wait_until_a_reader_blocks(client)
    two.end(chat_id, "quick_exit", T0 + 1)
    waiter.join(timeout=PATIENCE)
    assert not waiter.is_alive(), "the wait did not notice the end"
    assert len(raised) == 1


def test_racing_machines_never_claim_the_same_chat(new_store: NewStore) -> None:
    prefix = f"race-{secrets.token_hex(4)}:"
    sizes = {"max_parallel": 100, "max_waiting": 100, "new_per_minute": 100}
    stores = [new_store(prefix=prefix, **sizes) for _ in range(6)]
    opened = {stores[0].open(f"hash-{i}", "", "", T0).chat_id for i in range(60)}
    start = threading.Barrier(len(stores))
    taken: list[str] = []
    lock = threading.Lock()

    def claim(counsellor: int) -> None:
        store = stores[counsellor]
        start.wait()
        # T0 + 10: the visitors are still present (Limits.present_seconds), so each is taken.
        while info := store.claim_next(counsellor, T0 + 10):
            with lock:
                taken.append(info.chat_id)

    threads = [threading.Thread(target=claim, args=(c,)) for c in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(taken) == sorted(opened)
    owners = {stores[0].get(chat, T0 + 10).counsellor for chat in opened}  # type: ignore[union-attr]
    assert len(owners) > 1  # they really did race


def test_one_counsellor_on_two_machines_cannot_pass_the_limit(new_store: NewStore) -> None:
    prefix = f"limit-{secrets.token_hex(4)}:"
    one, two = (new_store(prefix=prefix, max_parallel=1) for _ in range(2))
    for i in range(4):
        one.open(f"hash-{i}", "", "", T0 + i)
    start = threading.Barrier(2)
    results: list[object] = []

    def claim(store: RedisChatStore) -> None:
        start.wait()
        try:
            results.append(store.claim_next(COUNSELLOR, T0 + 10))
        except Exception as error:  # recorded, checked below
            results.append(type(error).__name__)

    threads = [threading.Thread(target=claim, args=(s,)) for s in (one, two)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert sorted(r if isinstance(r, str) else "claimed" for r in results) == ["AtLimit", "claimed"]
    assert len(one.counsellor_chats(COUNSELLOR, T0 + 10)) == 1
    assert len(one.queue(T0 + 10)) == 3


def test_ttls_really_expire_when_nobody_sweeps(new_store: NewStore, client: Client) -> None:
    prefix = f"expire-{secrets.token_hex(4)}:"
    seconds = {"idle_seconds": 1, "waiting_gone_seconds": 1, "tombstone_seconds": 1}
    store = new_store(prefix, ttl_margin=1, available_seconds=1, **seconds)
    store.open("hash-a", "", "first", T0)
    ended = store.open("hash-b", "", "", T0).chat_id
    store.end(ended, "visitor", T0)
    store.set_available(COUNSELLOR, True, T0)
    assert list(client.scan_iter(f"{prefix}*"))
    # Only the admission counter (no ids, just times) lives its minute: it counts chats per minute.
    left = [f"{prefix}opened"]
    deadline = time.monotonic() + PATIENCE
    while list(client.scan_iter(f"{prefix}*")) != left and time.monotonic() < deadline:
        time.sleep(0.25)
    assert list(client.scan_iter(f"{prefix}*")) == left
    assert client.ttl(left[0]) <= 61
    assert store.find("hash-a", T0) is None
    assert store.get(ended, T0) is None
    assert store.queue(T0) == []
    assert store.claim_next(COUNSELLOR, T0) is None


def test_a_chat_that_expired_holds_no_place_in_the_queue(
    new_store: NewStore, client: Client
) -> None:
    prefix = f"dangling-{secrets.token_hex(4)}:"
    seconds = {"idle_seconds": 1, "waiting_gone_seconds": 1}
    store = new_store(prefix, ttl_margin=1, max_waiting=2, **seconds)
    gone = store.open("hash-gone", "", "", T0).chat_id
    store.open("hash-here", "", "", T0)
    deadline = time.monotonic() + PATIENCE
    while client.exists(f"{prefix}c:{gone}") and time.monotonic() < deadline:
        store.find("hash-here", T0)  # keeps polling: the queue and its own chat stay
        time.sleep(0.2)
    assert not client.exists(f"{prefix}c:{gone}")
    assert store.find("hash-here", T0).position == 1  # type: ignore[union-attr]
    assert store.open("hash-new", "", "", T0).position == 2
    assert [q.chat_id for q in store.queue(T0)][0] != gone


def _calls(store: RedisChatStore) -> dict[str, Callable[[], object]]:
    return {
        "open": lambda: store.open("hash", "nick", "text", T0),
        "find": lambda: store.find("hash", T0),
        "get": lambda: store.get("id", T0),
        "queue": lambda: store.queue(T0),
        "claim_next": lambda: store.claim_next(COUNSELLOR, T0),
        "transfer": lambda: store.transfer("id", COUNSELLOR, T0),
        "post": lambda: store.post("id", "visitor", "text", T0),
        "messages": lambda: store.messages("id", 0),
        "wait": lambda: store.wait("id", 0, 1),
        "end": lambda: store.end("id", "visitor", T0),
        "counsellor_chats": lambda: store.counsellor_chats(COUNSELLOR, T0),
        "dismiss": lambda: store.dismiss("id", COUNSELLOR),
        "set_available": lambda: store.set_available(COUNSELLOR, True, T0),
        "is_available": lambda: store.is_available(COUNSELLOR, T0),
        "available_count": lambda: store.available_count(T0),
        "sweep": lambda: store.sweep(T0),
    }


def test_an_unreachable_server_is_store_unavailable() -> None:
    """Every call fails with StoreUnavailable: none hangs (each runs in a thread that must end)."""
    store = RedisChatStore(f"redis://127.0.0.1:{free_port()}/0")
    for name, call in _calls(store).items():
        raised: list[BaseException] = []

        def attempt(
            call: Callable[[], object] = call, raised: list[BaseException] = raised
        ) -> None:
            try:
                call()
            except StoreUnavailable as error:
                raised.append(error)

        caller = threading.Thread(target=attempt)
        caller.start()
        caller.join(timeout=PATIENCE)
        assert not caller.is_alive(), f"{name} hangs on an unreachable server"
        assert len(raised) == 1, name
    store.close()


def test_a_server_that_goes_away_is_store_unavailable(tmp_path: Path, marker: str) -> None:
    with running_redis(tmp_path) as server_url:
        store = RedisChatStore(server_url)
        chat_id = store.open("hash", marker, marker, T0).chat_id
        assert store.messages(chat_id, 0)[0].text == marker
        waiting: list[BaseException] = []

        def wait() -> None:
            try:
                store.wait(chat_id, 1, 30)
            except BaseException as error:  # recorded, checked below
                waiting.append(error)

        waiter = threading.Thread(target=wait)
        waiter.start()
        wait_until_a_reader_blocks(redis.Redis.from_url(server_url, decode_responses=True))
    waiter.join(timeout=PATIENCE)
    assert [type(error) for error in waiting] == [StoreUnavailable]
    for name, call in _calls(store).items():
        with pytest.raises(StoreUnavailable) as error:
            call()
        assert marker not in str(error.value), name
        # The redis error (and whatever its text holds) is not kept in the traceback.
        assert error.value.__cause__ is None, name
        assert error.value.__suppress_context__, name
    store.close()


def test_the_example_config_starts_a_private_diskless_server(tmp_path: Path) -> None:
    shipped = (ROOT / "deploy" / "redis.conf.example").read_text()
    # Its dir is a tmpfs path of the production host; the test server gets its own.
    lines = [line for line in shipped.splitlines() if not line.startswith("dir ")]
    config = tmp_path / "redis.conf"
    config.write_text("\n".join(lines) + "\n")
    password = next(line.split()[1] for line in lines if line.startswith("requirepass "))
    with running_redis(tmp_path, str(config)) as server_url:
        anonymous = redis.Redis.from_url(server_url, decode_responses=True)
        with pytest.raises(redis.AuthenticationError):
            anonymous.ping()
        anonymous.close()
        authed_url = server_url.replace("redis://", f"redis://:{password}@")
        admin: Client = redis.Redis.from_url(authed_url, decode_responses=True)
        settings = {
            "save": "",
            "appendonly": "no",
            "protected-mode": "yes",
            "slowlog-log-slower-than": "-1",
            "slowlog-max-len": "0",
            "maxmemory-policy": "noeviction",
            "crash-log-enabled": "no",
            "logfile": "",
        }
        for name, value in settings.items():
            assert admin.config_get(name) == {name: value}
        assert int(admin.config_get("maxmemory")["maxmemory"]) > 0
        with pytest.raises(redis.ResponseError, match="unknown command"):
            admin.execute_command("MONITOR")
        store = RedisChatStore(authed_url)
        chat_id = store.open("hash", "", "hello", T0).chat_id
        assert store.claim_next(COUNSELLOR, T0) is not None
        store.end(chat_id, "counsellor", T0 + 1)
        assert admin.slowlog_get() == []
        store.close()
        admin.close()
