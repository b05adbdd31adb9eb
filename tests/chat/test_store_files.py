"""A stopped server leaves the SQLite chat store without its write-ahead log.

The log holds old copies of changed pages until it is checkpointed. SQLite removes `-wal` and
`-shm` only when the last connection closes cleanly and can lock the file, which two workers
stopping at once, or a worker that was killed, do not guarantee (app/chat/sqlite_store.py,
fold_log). These tests build the worst case on purpose, so they fail every time without the
fold, not only when a machine is loaded.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from app.chat.sqlite_file import fold_log
from app.chat.sqlite_store import SqliteChatStore
from tests.live_server import LiveServer

LOG_FILES = ("chat.sqlite3-wal", "chat.sqlite3-shm")

LEAVE_LOG_BEHIND = """
import os, sys
from pathlib import Path
from app.chat.sqlite_store import SqliteChatStore
store = SqliteChatStore(Path(sys.argv[1]))
store.set_available(7, True, 1000.0)
os._exit(0)  # like a killed worker: the connection is never closed
"""


def leave_log_behind(path: Path) -> None:
    subprocess.run([sys.executable, "-c", LEAVE_LOG_BEHIND, str(path)], check=True)


def test_fold_log_removes_the_log_a_dead_process_left(tmp_path: Path) -> None:
    path = tmp_path / "chat.sqlite3"
    leave_log_behind(path)
    assert all((tmp_path / name).exists() for name in LOG_FILES), "the worst case was not built"

    fold_log(f"sqlite:///{path}")

    assert sorted(p.name for p in tmp_path.iterdir()) == ["chat.sqlite3"]
    assert SqliteChatStore(path).is_available(7, 1000.0), "the log's last write was lost"


def test_fold_log_ignores_other_stores_and_a_missing_file(tmp_path: Path) -> None:
    fold_log("redis://127.0.0.1:1/0")
    fold_log(f"sqlite:///{tmp_path / 'never-made.sqlite3'}")
    assert list(tmp_path.iterdir()) == []


def worker_pids(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children}


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.mark.server
def test_a_stopped_server_leaves_no_chat_log(tmp_path: Path) -> None:
    """Every worker that opened the store is killed, so no worker can remove the log at exit."""
    chat = tmp_path / "chat"
    with LiveServer(tmp_path) as server:
        assert server.process is not None
        master = server.process.pid
        with urllib.request.urlopen(server.url + "/nl/", timeout=30) as response:
            assert response.status == 200  # the page asks the store whether chat is staffed
        wait_for(lambda: all((chat / name).exists() for name in LOG_FILES), "the store's log")
        old = worker_pids(master)
        for pid in old:
            os.kill(pid, signal.SIGKILL)
        wait_for(lambda: len(worker_pids(master) - old) == len(old), "new workers")
    assert sorted(p.name for p in chat.iterdir()) == ["chat.sqlite3"]
