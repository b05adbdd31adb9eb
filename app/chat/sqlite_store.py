"""The chat store on one machine: a separate SQLite file, meant for a tmpfs path.

Why a file of its own, and not the main database: chat content must never reach the main
database or its backups, and a tmpfs path means it never reaches a disk either. Every worker
process opens the same file, so all of them see the same chats.

How wiping works (docs/privacy.md, "chat"):

- `secure_delete` makes SQLite overwrite deleted rows with zeros in the database file;
- the write-ahead log still holds old copies of changed pages until it is checkpointed, so
  after each wipe the log is checkpointed and truncated to zero bytes (retried while a reader
  holds an old snapshot; the next wipe or sweep tries again if it stays busy);
- an ended chat's row is deleted and a new tombstone row inserted, so no old cell is reused.

Timing data is kept no longer than its rule needs it, and every sweep purges what is past
(issue 16): `admissions` holds the start times of the last minute only (the per-minute gate);
`used_start_forms` holds a used start form's key hash with the number of the two-hour period it
was used in, not a time, and forgets it once the form has expired (`use_once`).

`wait` polls the file a few times a second: a message from another process is seen within
POLL_SECONDS, and a sleeping poll holds no lock.
"""

from __future__ import annotations

import functools
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar, cast

from app.chat import sqlite_side
from app.chat.store import (
    AtLimit,
    Author,
    ChatGone,
    ChatInfo,
    Ended,
    EndReason,
    Limits,
    Message,
    QueuedChat,
    QueueFull,
    RateLimited,
    StoreUnavailable,
)

P = ParamSpec("P")
R = TypeVar("R")
POLL_SECONDS = 0.2
CHECKPOINT_TRIES = 10
MINUTE = 60.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS chats (
    chat_id TEXT PRIMARY KEY,
    token_hash TEXT UNIQUE,
    state TEXT NOT NULL,
    nickname TEXT NOT NULL DEFAULT '',
    counsellor INTEGER,
    queue_seq INTEGER,
    created REAL NOT NULL,
    visitor_seen REAL NOT NULL,
    last_activity REAL NOT NULL,
    last_seq INTEGER NOT NULL DEFAULT 0,
    end_reason TEXT,
    ended REAL
);
CREATE TABLE IF NOT EXISTS messages (
    chat_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (chat_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS available (counsellor INTEGER PRIMARY KEY, until REAL NOT NULL);
CREATE TABLE IF NOT EXISTS admissions (at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS unproven_admissions (at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS unproven (chat_id TEXT PRIMARY KEY);
DROP TABLE IF EXISTS used_forms;
CREATE TABLE IF NOT EXISTS used_start_forms (key TEXT PRIMARY KEY, period INTEGER NOT NULL);
"""

CHAT_BY_ID = (
    "SELECT chat_id, state, nickname, counsellor, queue_seq, created, last_seq, end_reason, ended"
    " FROM chats WHERE chat_id = ?"
)
CHATS_OF_COUNSELLOR = (
    "SELECT chat_id, state, nickname, counsellor, queue_seq, created, last_seq, end_reason, ended"
    " FROM chats WHERE counsellor = ? ORDER BY created"
)


def _store_errors(method: Callable[P, R]) -> Callable[P, R]:
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


class SqliteChatStore:
    def __init__(self, path: Path, limits: Limits | None = None) -> None:
        self.path = path
        self.limits = limits or Limits()
        self._local = threading.local()
        self._log_dirty = False  # a wipe's log truncation is still owed
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._connection().executescript(SCHEMA + sqlite_side.SIDE_SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise StoreUnavailable("chat store cannot be created") from error

    # -- connections and transactions

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

    # -- visitors

    @_store_errors
    def open(
        self,
        token_hash: str,
        nickname: str,
        first_message: str,
        now: float,
        *,
        proven: bool = True,
    ) -> ChatInfo:
        with self._write() as db:
            self._forget_old_admissions(db, now)
            (waiting,) = db.execute("SELECT count(*) FROM chats WHERE state = 'waiting'").fetchone()
            (recent,) = db.execute("SELECT count(*) FROM admissions").fetchone()
            if waiting >= self.limits.max_waiting or recent >= self.limits.new_per_minute:
                raise QueueFull("the queue is full")
            if not proven:
                self._check_unproven_gate(db)
            chat_id = secrets.token_urlsafe(12)
            next_place = db.execute("SELECT coalesce(max(queue_seq), 0) + 1 FROM chats")
            (queue_seq,) = next_place.fetchone()
            db.execute(
                "INSERT INTO chats (chat_id, token_hash, state, nickname, queue_seq, created,"
                " visitor_seen, last_activity) VALUES (?, ?, 'waiting', ?, ?, ?, ?, ?)",
                (chat_id, token_hash, nickname, queue_seq, now, now, now),
            )
            db.execute("INSERT INTO admissions (at) VALUES (?)", (now,))
            if not proven:
                db.execute("INSERT INTO unproven_admissions (at) VALUES (?)", (now,))
                db.execute("INSERT INTO unproven (chat_id) VALUES (?)", (chat_id,))
            if first_message:
                self._add_message(db, chat_id, "visitor", first_message, now)
            return self._info(db, chat_id)

    def _check_unproven_gate(self, db: sqlite3.Connection) -> None:
        (waiting,) = db.execute(
            "SELECT count(*) FROM unproven JOIN chats USING (chat_id) WHERE state = 'waiting'"
        ).fetchone()
        (recent,) = db.execute("SELECT count(*) FROM unproven_admissions").fetchone()
        limits = self.limits
        if waiting >= limits.unproven_waiting or recent >= limits.unproven_per_minute:
            raise QueueFull("the places for starts without a proof are taken")

    def _forget_old_admissions(self, db: sqlite3.Connection, now: float) -> None:
        db.execute("DELETE FROM admissions WHERE at <= ?", (now - MINUTE,))
        db.execute("DELETE FROM unproven_admissions WHERE at <= ?", (now - MINUTE,))

    def _period(self, now: float) -> int:
        return int(now // self.limits.start_form_seconds)

    @_store_errors
    def use_once(self, key_hash: str, now: float) -> bool:
        """A form is valid for one period at most, so a key used in this period or the last
        is all a replay can bring; anything older goes (here and in every sweep)."""
        with self._write() as db:
            self._forget_old_forms(db, now)
            inserted = db.execute(
                "INSERT INTO used_start_forms (key, period) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (key_hash, self._period(now)),
            )
            return inserted.rowcount == 1

    def _forget_old_forms(self, db: sqlite3.Connection, now: float) -> None:
        db.execute("DELETE FROM used_start_forms WHERE period < ?", (self._period(now) - 1,))

    @_store_errors
    def find(self, token_hash: str, now: float) -> ChatInfo | None:
        with self._write() as db:
            row = db.execute(
                "SELECT chat_id FROM chats WHERE token_hash = ? AND state != 'ended'",
                (token_hash,),
            ).fetchone()
            if row is None:
                return None
            db.execute("UPDATE chats SET visitor_seen = ? WHERE chat_id = ?", (now, row[0]))
            return self._info(db, row[0])

    # -- counsellors

    @_store_errors
    def get(self, chat_id: str, now: float) -> ChatInfo | None:
        db = self._connection()
        row = db.execute(CHAT_BY_ID, (chat_id,))
        found = row.fetchone()
        info = self._row_info(db, found) if found else None
        return info if info and self._current(info, now) else None

    @_store_errors
    def queue(self, now: float) -> list[QueuedChat]:
        rows = self._connection().execute(
            "SELECT c.chat_id, c.nickname, coalesce(m.body, ''), c.created FROM chats c"
            " LEFT JOIN messages m ON m.chat_id = c.chat_id AND m.seq = 1 AND m.author = 'visitor'"
            " WHERE c.state = 'waiting' ORDER BY c.queue_seq"
        )
        return [QueuedChat(*row) for row in rows]

    @_store_errors
    def claim_next(self, counsellor: int, now: float) -> ChatInfo | None:
        with self._write() as db:
            self._check_room(db, counsellor)
            row = db.execute(
                "SELECT chat_id FROM chats WHERE state = 'waiting' ORDER BY queue_seq LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE chats SET state = 'active', counsellor = ?, queue_seq = NULL,"
                " last_activity = ? WHERE chat_id = ?",
                (counsellor, now, row[0]),
            )
            self._add_message(db, row[0], "system", "joined", now)
            return self._info(db, row[0])

    @_store_errors
    def transfer(self, chat_id: str, counsellor: int, now: float, *, by: int | None = None) -> None:
        with self._write() as db:
            self._active(db, chat_id, only="active", by=by)
            self._check_room(db, counsellor)
            db.execute("UPDATE chats SET counsellor = ? WHERE chat_id = ?", (counsellor, chat_id))
            self._add_message(db, chat_id, "system", "transferred", now)

    @_store_errors
    def counsellor_chats(self, counsellor: int, now: float) -> list[ChatInfo]:
        db = self._connection()
        rows = db.execute(CHATS_OF_COUNSELLOR, (counsellor,)).fetchall()
        infos = [self._row_info(db, row) for row in rows]
        return [info for info in infos if self._current(info, now)]

    def _current(self, info: ChatInfo, now: float) -> bool:
        """False for a tombstone older than tombstone_seconds, even before a sweep removes it."""
        return info.ended is None or info.ended > now - self.limits.tombstone_seconds

    @_store_errors
    def dismiss(self, chat_id: str, counsellor: int) -> None:
        with self._write() as db:
            db.execute(
                "DELETE FROM chats WHERE chat_id = ? AND counsellor = ? AND state = 'ended'",
                (chat_id, counsellor),
            )

    @_store_errors
    def set_available(self, counsellor: int, available: bool, now: float) -> None:
        with self._write() as db:
            if available:
                db.execute(
                    "INSERT INTO available (counsellor, until) VALUES (?, ?) ON CONFLICT"
                    " (counsellor) DO UPDATE SET until = excluded.until",
                    (counsellor, now + self.limits.available_seconds),
                )
            else:
                db.execute("DELETE FROM available WHERE counsellor = ?", (counsellor,))

    @_store_errors
    def is_available(self, counsellor: int, now: float) -> bool:
        row = self._connection().execute(
            "SELECT 1 FROM available WHERE counsellor = ? AND until > ?", (counsellor, now)
        )
        return row.fetchone() is not None

    @_store_errors
    def available_count(self, now: float) -> int:
        rows = self._connection().execute("SELECT count(*) FROM available WHERE until > ?", (now,))
        (count,) = rows.fetchone()
        return int(count)

    # -- messages

    @_store_errors
    def post(
        self, chat_id: str, author: Author, text: str, now: float, *, by: int | None = None
    ) -> Message:
        with self._write() as db:
            self._active(db, chat_id, by=by)
            if author == "visitor":
                (recent,) = db.execute(
                    "SELECT count(*) FROM messages WHERE chat_id = ? AND author = 'visitor'"
                    " AND at > ?",
                    (chat_id, now - MINUTE),
                ).fetchone()
                if recent >= self.limits.visitor_messages_per_minute:
                    raise RateLimited("too many messages")
            return self._add_message(db, chat_id, author, text, now)

    @_store_errors
    def messages(self, chat_id: str, after: int) -> list[Message]:
        db = self._connection()
        self._active(db, chat_id)
        rows = db.execute(
            "SELECT seq, author, body, at FROM messages WHERE chat_id = ? AND seq > ? ORDER BY seq",
            (chat_id, after),
        )
        return [Message(seq, cast(Author, author), body, at) for seq, author, body, at in rows]

    @_store_errors
    def wait(self, chat_id: str, after: int, timeout: float) -> list[Message]:
        deadline = time.monotonic() + timeout
        while True:
            row = self._connection().execute(
                "SELECT last_seq FROM chats WHERE chat_id = ? AND state != 'ended'", (chat_id,)
            )
            found = row.fetchone()
            if found is None:
                raise ChatGone("no such chat")
            if found[0] > after:
                return self.messages(chat_id, after)
            if time.monotonic() >= deadline:
                return []
            time.sleep(POLL_SECONDS)

    # -- ending

    @_store_errors
    def end(
        self, chat_id: str, reason: EndReason, now: float, *, by: int | None = None
    ) -> Ended | None:
        with self._write() as db:
            ended = self._end(db, chat_id, reason, now, by)
        self._truncate_log()
        return ended

    @_store_errors
    def sweep(self, now: float) -> list[Ended]:
        limits = self.limits
        ended: list[Ended] = []
        waiting_since, idle_since = now - limits.waiting_gone_seconds, now - limits.idle_seconds
        expired_sql = (
            "SELECT chat_id, state FROM chats WHERE (state = 'waiting' AND visitor_seen < ?)"
            " OR (state = 'active' AND last_activity < ?)"
        )
        db = self._connection()
        past = (
            (
                "SELECT 1 FROM chats WHERE state = 'ended' AND ended < ? LIMIT 1",
                now - limits.tombstone_seconds,
            ),
            ("SELECT 1 FROM admissions WHERE at <= ? LIMIT 1", now - MINUTE),
            ("SELECT 1 FROM unproven_admissions WHERE at <= ? LIMIT 1", now - MINUTE),
            ("SELECT 1 FROM used_start_forms WHERE period < ? LIMIT 1", self._period(now) - 1),
            ("SELECT 1 FROM available WHERE until <= ? LIMIT 1", now),
        )
        due = db.execute(expired_sql, (waiting_since, idle_since)).fetchone() or any(
            db.execute(sql, (cutoff,)).fetchone() for sql, cutoff in past
        )
        if due:
            with self._write() as db:
                # Chosen again inside the transaction: a visitor who polled, or a chat taken,
                # a moment ago is not ended.
                expired = db.execute(expired_sql, (waiting_since, idle_since)).fetchall()
                for chat_id, state in expired:
                    reason: EndReason = "dropped" if state == "waiting" else "idle"
                    one = self._end(db, chat_id, reason, now)
                    if one is not None:
                        ended.append(one)
                db.execute(
                    "DELETE FROM chats WHERE state = 'ended' AND ended < ?",
                    (now - limits.tombstone_seconds,),
                )
                db.execute("DELETE FROM available WHERE until <= ?", (now,))
                self._forget_old_admissions(db, now)
                self._forget_old_forms(db, now)
        if due or self._log_dirty:
            self._truncate_log()
        return ended

    def _end(
        self,
        db: sqlite3.Connection,
        chat_id: str,
        reason: EndReason,
        now: float,
        by: int | None = None,
    ) -> Ended | None:
        row = db.execute(
            "SELECT counsellor, created, state FROM chats WHERE chat_id = ? AND state != 'ended'",
            (chat_id,),
        ).fetchone()
        if row is None or (by is not None and row[0] != by):
            return None
        db.execute("DELETE FROM messages WHERE chat_id = ?", (chat_id,))
        db.execute("DELETE FROM unproven WHERE chat_id = ?", (chat_id,))
        sqlite_side.wipe(db, chat_id)
        db.execute("DELETE FROM chats WHERE chat_id = ?", (chat_id,))
        db.execute(
            "INSERT INTO chats (chat_id, state, counsellor, created, visitor_seen, last_activity,"
            " end_reason, ended) VALUES (?, 'ended', ?, ?, ?, ?, ?, ?)",
            (chat_id, row[0], row[1], now, now, reason, now),
        )
        return Ended(reason, row[2] == "waiting", row[1], now)

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

    # -- helpers

    def _active(
        self, db: sqlite3.Connection, chat_id: str, only: str = "", by: int | None = None
    ) -> None:
        """Raise ChatGone unless the chat runs (with `only`: in that state; with `by`: is
        that counsellor's)."""
        found = db.execute(
            "SELECT state, counsellor FROM chats WHERE chat_id = ? AND state != 'ended'",
            (chat_id,),
        ).fetchone()
        if found is None or (only and found[0] != only) or (by is not None and found[1] != by):
            raise ChatGone("no such chat")

    def _check_room(self, db: sqlite3.Connection, counsellor: int) -> None:
        (count,) = db.execute(
            "SELECT count(*) FROM chats WHERE counsellor = ? AND state = 'active'", (counsellor,)
        ).fetchone()
        if count >= self.limits.max_parallel:
            raise AtLimit("the counsellor has the maximum number of chats")

    def _add_message(
        self, db: sqlite3.Connection, chat_id: str, author: Author, text: str, now: float
    ) -> Message:
        (seq,) = db.execute(
            "UPDATE chats SET last_seq = last_seq + 1, last_activity = ? WHERE chat_id = ?"
            " RETURNING last_seq",
            (now, chat_id),
        ).fetchone()
        db.execute(
            "INSERT INTO messages (chat_id, seq, author, body, at) VALUES (?, ?, ?, ?, ?)",
            (chat_id, seq, author, text, now),
        )
        return Message(seq, author, text, now)

    def _info(self, db: sqlite3.Connection, chat_id: str) -> ChatInfo:
        row = db.execute(CHAT_BY_ID, (chat_id,))
        return self._row_info(db, row.fetchone())

    def _row_info(self, db: sqlite3.Connection, row: tuple[Any, ...]) -> ChatInfo:
        chat_id, state, nickname, counsellor, queue_seq, created, last_seq, reason, ended = row
        position = None
        if state == "waiting":
            (position,) = db.execute(
                "SELECT count(*) FROM chats WHERE state = 'waiting' AND queue_seq <= ?",
                (queue_seq,),
            ).fetchone()
        return ChatInfo(
            chat_id=chat_id,
            state=state,
            nickname=nickname,
            counsellor=counsellor,
            position=position,
            created=created,
            last_seq=last_seq,
            end_reason=reason,
            ended=ended,
        )
