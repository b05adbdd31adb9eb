"""The SQLite chat store's file: its schema, connections, transactions and wiping its log.

The rules of the chat live in app/chat/sqlite_store.py; this is what any of them needs to
read and write the file. How wiping works (docs/privacy.md, "chat"):

- `secure_delete` makes SQLite overwrite deleted rows with zeros in the database file;
- the write-ahead log still holds old copies of changed pages until it is checkpointed, so
  after each wipe the log is checkpointed and truncated to zero bytes (retried while a reader
  holds an old snapshot; the next wipe or sweep tries again if it stays busy);
- an ended chat's row is deleted and a new tombstone row inserted, so no old cell is reused.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar

from app.chat.store import Limits, StoreUnavailable

P = ParamSpec("P")
R = TypeVar("R")
POLL_SECONDS = 0.2
CHECKPOINT_TRIES = 10

# The tables, in a file of their own: the chats and their messages, the counsellors'
# availability, the admission gate, used start forms, and the side threads
# (app/chat/sqlite_side.py). Nothing in them outlives its chat or its minute (app/chat/store.py).
SCHEMA = (Path(__file__).parent / "sqlite_schema.sql").read_text()

# Columns added since the first release: a store file made by an older version (it lives on
# a tmpfs, so only until the next reboot) gets them when it is opened.
ADDED_COLUMNS = {"visitor_typed": "REAL", "counsellor_typed": "REAL"}

CHAT_BY_ID = (
    "SELECT chat_id, state, nickname, counsellor, queue_seq, created, last_seq, end_reason, ended,"
    " visitor_seen, visitor_typed, counsellor_typed"
    " FROM chats WHERE chat_id = ?"
)
CHATS_OF_COUNSELLOR = (
    "SELECT chat_id, state, nickname, counsellor, queue_seq, created, last_seq, end_reason, ended,"
    " visitor_seen, visitor_typed, counsellor_typed"
    " FROM chats WHERE counsellor = ? ORDER BY created"
)


def store_errors(method: Callable[P, R]) -> Callable[P, R]:
    """Any SQLite failure (disk full, a corrupt or vanished file) becomes StoreUnavailable.

    Callers then treat the chat as closed and no page breaks. The SQLite error is not chained:
    the store's own message says enough, and never quotes what was stored.
    """

    @functools.wraps(method)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except sqlite3.Error:
            raise StoreUnavailable("chat store failed") from None

    return guarded


def fold_log(store_url: str) -> None:
    """Fold a stopped SQLite chat store's write-ahead log back into its file; remove the log.

    SQLite removes `-wal` and `-shm` when the last connection closes, but only if that close
    can take an exclusive lock. Two gunicorn workers stopping at the same moment can each still
    see the other's shared lock and both leave the files behind, the log holding old copies of
    pages. The server calls this once its last worker has exited (gunicorn's `on_exit`, in
    deploy/gunicorn.conf.py): this connection is then the only one, so its close checkpoints
    the log and removes both files for certain. Other stores (Redis) have no such files.
    """
    if not store_url.startswith("sqlite:///"):
        return
    path = Path(store_url.removeprefix("sqlite:///"))
    if not path.exists():
        return
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


class SqliteFile:
    """One chat store file, with a connection per thread."""

    def __init__(self, path: Path, limits: Limits | None = None) -> None:
        self.path = path
        self.limits = limits or Limits()
        self._local = threading.local()
        self._log_dirty = False  # a wipe's log truncation is still owed
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._connection().executescript(SCHEMA)
            self._add_columns()
        except (OSError, sqlite3.Error) as error:
            raise StoreUnavailable("chat store cannot be created") from error

    def _add_columns(self) -> None:
        db = self._connection()
        present = {row[1] for row in db.execute("PRAGMA table_info(chats)")}
        for name, kind in ADDED_COLUMNS.items():
            if name not in present:
                db.execute(f"ALTER TABLE chats ADD COLUMN {name} {kind}")

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            try:
                connection = sqlite3.connect(
                    self.path, timeout=10, isolation_level=None, check_same_thread=False
                )
            except sqlite3.Error as error:
                raise StoreUnavailable("chat store cannot be opened") from error
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA secure_delete=ON")
            connection.execute("PRAGMA temp_store=MEMORY")
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
        return connection

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so checks and writes agree."""
        db = self._connection()
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise StoreUnavailable("chat store is not writable") from error
        try:
            yield db
        except BaseException:
            if db.in_transaction:  # SQLite may have rolled back by itself (disk full)
                db.execute("ROLLBACK")
            raise
        try:
            db.execute("COMMIT")
        except sqlite3.Error as error:
            raise StoreUnavailable("chat store could not commit") from error

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    def _truncate_log(self) -> None:
        """Checkpoint the write-ahead log into the (zeroed) file and cut the log to 0 bytes."""
        db = self._connection()
        for _ in range(CHECKPOINT_TRIES):
            (busy, _pages, _moved) = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                self._log_dirty = False
                return
            time.sleep(POLL_SECONDS / 2)
        self._log_dirty = True  # the next sweep tries again
