"""After every way a chat ends, its words are in no byte of the SQLite file or its log."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from app.chat.side_backends import side_threads_of
from app.chat.sqlite_store import SqliteChatStore
from app.chat.store import EndReason
from tests.chat.conftest import T0


def files_holding(directory: Path, marker: str) -> list[str]:
    needle = marker.encode()
    return [p.name for p in directory.iterdir() if p.is_file() and needle in p.read_bytes()]


def busy_chat(store: SqliteChatStore, marker: str) -> str:
    chat = store.open(f"hash-{marker}", f"nick-{marker}", f"first {marker}", T0).chat_id
    store.claim_next(1, T0 + 1)
    for i in range(20):  # enough rows to spill over more than one page
        store.post(chat, "counsellor", f"reply {i} {marker} " + "x" * 200, T0 + 2)
    side = side_threads_of(store)  # a colleague asked, answering, then reading along
    side.ask(chat, 2, T0 + 2, by=1)
    for i in range(10):
        side.post(chat, f"side {i} {marker} " + "y" * 200, T0 + 2, by=1 + i % 2)
    side.add_reader(chat, T0 + 2, by=1)
    return chat


def test_the_side_thread_is_in_the_file_while_the_chat_runs(tmp_path: Path) -> None:
    """So that the checks below, which find nothing after the end, could find something."""
    store = SqliteChatStore(tmp_path / "chat.sqlite3")
    marker = secrets.token_hex(8)
    busy_chat(store, marker)
    store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert f"side 9 {marker}".encode() in raw


@pytest.mark.parametrize("reason", ["visitor", "counsellor", "quick_exit", "blocked"])
def test_ending_leaves_no_trace_on_disk(tmp_path: Path, reason: EndReason) -> None:
    store = SqliteChatStore(tmp_path / "chat.sqlite3")
    marker = secrets.token_hex(8)
    chat = busy_chat(store, marker)
    assert files_holding(tmp_path, marker)  # the check can see the words while the chat runs
    store.end(chat, reason, T0 + 3)
    assert files_holding(tmp_path, marker) == []
    assert (tmp_path / "chat.sqlite3-wal").stat().st_size == 0
    store.close()


def test_sweeping_leaves_no_trace_on_disk(tmp_path: Path) -> None:
    store = SqliteChatStore(tmp_path / "chat.sqlite3")
    idle_marker, dropped_marker = secrets.token_hex(8), secrets.token_hex(8)
    busy_chat(store, idle_marker)
    store.open("hash-waiting", f"nick-{dropped_marker}", dropped_marker, T0 + 2)
    assert files_holding(tmp_path, dropped_marker)
    store.sweep(T0 + store.limits.idle_seconds + 10)
    assert files_holding(tmp_path, idle_marker) == []
    assert files_holding(tmp_path, dropped_marker) == []
    store.close()


def test_other_chats_survive_a_wipe(tmp_path: Path) -> None:
    store = SqliteChatStore(tmp_path / "chat.sqlite3")
    gone = busy_chat(store, secrets.token_hex(8))
    kept = store.open("hash-kept", "", "still here", T0 + 2).chat_id
    store.end(gone, "visitor", T0 + 3)
    assert [m.text for m in store.messages(kept, 0)] == ["still here"]
    store.close()
