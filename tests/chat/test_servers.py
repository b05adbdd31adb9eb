"""The chat across real gunicorn processes: shared state, and no trace left behind.

Two app processes share one store (SQLite file, or a real Redis): a message posted through
one reaches a visitor long-polling on the other within 2 seconds. After a chat through a real
server ends, its words are in no file the run wrote (chat store and its log, the main
database, the server's output).
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, closing, contextmanager
from pathlib import Path

import pytest
import redis

from app.chat.store import ChatStore
from app.chat.web import make_store
from tests.chat.web import ALWAYS_OPEN, START_KEY, TOKEN_FIELD, view_pass_in
from tests.live_server import LiveServer

pytestmark = pytest.mark.server
COUNSELLOR = 1


def post(server: LiveServer, path: str, data: dict[str, str]) -> str:
    body = urllib.parse.urlencode(data).encode()
    with urllib.request.urlopen(server.url + path, body, timeout=30) as response:
        return response.read().decode()


def get(server: LiveServer, path: str) -> str:
    with urllib.request.urlopen(server.url + path, timeout=40) as response:
        return response.read().decode()


@contextmanager
def chat_servers(
    tmp_path: Path, store_url: str, count: int, **env: str
) -> Iterator[list[LiveServer]]:
    """`count` gunicorn servers, chat always open by the hours, all on the store at store_url,
    with one SECRET_KEY as deploy/multi-machine.md asks (a view pass made by one server is
    checked by another); `env`: more settings for each."""
    hours = tmp_path / "hours.json"
    hours.write_text(json.dumps(ALWAYS_OPEN))
    secret_key = secrets.token_urlsafe(48)
    with ExitStack() as stack:
        servers = [
            stack.enter_context(
                LiveServer(
                    tmp_path / f"server{i}",
                    setup=[["hours", "import", str(hours)]],
                    CHAT_STORE_URL=store_url,
                    SECRET_KEY=secret_key,
                    **env,
                )
            )
            for i in range(count)
        ]
        yield servers


def start_and_claim(server: LiveServer, store: ChatStore, message: str) -> tuple[str, str, str]:
    """(token, chat id, the room page's frame address) of a chat a counsellor has taken."""
    store.set_available(COUNSELLOR, True, time.time())
    key = START_KEY.search(get(server, "/en/chat"))
    assert key, "no start form"
    room = post(server, "/en/chat/start", {"start_key": key.group(1), "message": message})
    match = TOKEN_FIELD.search(room)
    assert match, room[:500]
    info = store.claim_next(COUNSELLOR, time.time())
    assert info is not None
    return match.group(1), info.chat_id, f"/en/chat/{view_pass_in(room)}/frame"


def wait_until_the_visitor_is_waiting(store_url: str, chat_id: str, since: float) -> None:
    """Until the other server's frame has looked the chat up and waits (its store marks the
    visitor as seen, then waits: polling the file, or blocked in XREAD on Redis)."""
    deadline = time.monotonic() + 30
    while True:
        if store_url.startswith("sqlite:///"):
            path = store_url.removeprefix("sqlite:///")
            with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
                row = db.execute("SELECT visitor_seen FROM chats WHERE chat_id = ?", (chat_id,))
                waiting = row.fetchone()[0] >= since
        else:
            client = redis.Redis.from_url(store_url, decode_responses=True)
            waiting = any(
                entry.get("cmd") == "xread" and "b" in entry.get("flags", "")
                for entry in client.client_list()
            )
            client.close()
        if waiting:
            return
        assert time.monotonic() < deadline, "the other server's frame never started waiting"
        time.sleep(0.02)


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_a_message_reaches_a_waiter_on_another_process(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        store_url = f"sqlite:///{tmp_path / 'chat.sqlite3'}"
    else:
        store_url = request.getfixturevalue("redis_url").rsplit("/", 1)[0] + "/3"
    with chat_servers(tmp_path, store_url, 2) as (one, two):
        store = make_store(store_url)
        token, chat_id, frame = start_and_claim(one, store, "hello")
        answer: dict[str, str] = {}
        asked_at = time.time()
        waiter = threading.Thread(target=lambda: answer.update(page=get(two, f"{frame}?after=2")))
        waiter.start()
        wait_until_the_visitor_is_waiting(store_url, chat_id, asked_at)
        post(one, "/en/chat/send", {"token": token, "message": "across processes"})
        # The long poll lasts 25 s: ending well before that, it answered because of the post.
        waiter.join(timeout=15)
        assert not waiter.is_alive(), "the long poll on the other process did not wake"
        assert "across processes" in answer["page"]
        store.end(chat_id, "counsellor", time.time())


def test_an_ended_chat_leaves_no_trace_in_any_file(tmp_path: Path) -> None:
    marker = secrets.token_hex(12)
    store_url = f"sqlite:///{tmp_path / 'store' / 'chat.sqlite3'}"
    with chat_servers(tmp_path, store_url, 1) as (server,):
        store = make_store(store_url)
        token, chat_id, frame = start_and_claim(server, store, f"first {marker}")
        post(server, "/nl/chat/send", {"token": token, "message": f"second {marker}"})
        store.post(chat_id, "counsellor", f"reply {marker}", time.time())
        assert get(server, frame).count(marker) == 3
        post(server, "/nl/chat/end", {"token": token})
        store.close()
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "chat.sqlite3" for p in written)
    holding = [str(p) for p in written if marker.encode() in p.read_bytes()]
    assert holding == []
    token_seen = [str(p) for p in written if token.encode() in p.read_bytes()]
    assert token_seen == []
    assert not re.search(marker, server.output())
