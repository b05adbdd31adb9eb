"""The chat store on one machine: a separate SQLite file, meant for a tmpfs path.

Why a file of its own, and not the main database: chat content must never reach the main
database or its backups, and a tmpfs path means it never reaches a disk either. Every worker
process opens the same file, so all of them see the same chats.

`wait` polls the file a few times a second: a message from another process is seen within
POLL_SECONDS, and a sleeping poll holds no lock.
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from typing import Any, cast

from app.chat import sqlite_side
from app.chat.sqlite_file import (
    CHAT_BY_ID,
    CHATS_OF_COUNSELLOR,
    POLL_SECONDS,
    store_errors,
)
from app.chat.sqlite_gate import MINUTE, SqliteGate
from app.chat.store import (
    AtLimit,
    Author,
    ChatGone,
    ChatInfo,
    Ended,
    EndReason,
    Message,
    QueuedChat,
    QueueFull,
    RateLimited,
    Typist,
)


class SqliteChatStore(SqliteGate):
    """`ChatStore` on one SQLite file (the file and its gate: sqlite_file.py, sqlite_gate.py)."""

    # -- visitors

    @store_errors
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

    @store_errors
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

    @store_errors
    def get(self, chat_id: str, now: float) -> ChatInfo | None:
        db = self._connection()
        row = db.execute(CHAT_BY_ID, (chat_id,))
        found = row.fetchone()
        info = self._row_info(db, found) if found else None
        return info if info and self._current(info, now) else None

    @store_errors
    def queue(self, now: float) -> list[QueuedChat]:
        rows = self._connection().execute(
            "SELECT c.chat_id, c.nickname, coalesce(m.body, ''), c.created FROM chats c"
            " LEFT JOIN messages m ON m.chat_id = c.chat_id AND m.seq = 1 AND m.author = 'visitor'"
            " WHERE c.state = 'waiting' ORDER BY c.queue_seq"
        )
        return [QueuedChat(*row) for row in rows]

    @store_errors
    def claim_next(self, counsellor: int, now: float) -> ChatInfo | None:
        with self._write() as db:
            self._check_room(db, counsellor)
            row = db.execute(
                "SELECT chat_id FROM chats WHERE state = 'waiting' AND visitor_seen >= ?"
                " ORDER BY queue_seq LIMIT 1",
                (now - self.limits.present_seconds,),
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

    @store_errors
    def transfer(self, chat_id: str, counsellor: int, now: float, *, by: int | None = None) -> None:
        with self._write() as db:
            self._active(db, chat_id, only="active", by=by)
            self._check_room(db, counsellor)
            db.execute("UPDATE chats SET counsellor = ? WHERE chat_id = ?", (counsellor, chat_id))
            self._add_message(db, chat_id, "system", "transferred", now)

    @store_errors
    def counsellor_chats(self, counsellor: int, now: float) -> list[ChatInfo]:
        db = self._connection()
        rows = db.execute(CHATS_OF_COUNSELLOR, (counsellor,)).fetchall()
        infos = [self._row_info(db, row) for row in rows]
        return [info for info in infos if self._current(info, now)]

    def _current(self, info: ChatInfo, now: float) -> bool:
        """False for a tombstone older than tombstone_seconds, even before a sweep removes it."""
        return info.ended is None or info.ended > now - self.limits.tombstone_seconds

    @store_errors
    def dismiss(self, chat_id: str, counsellor: int) -> None:
        with self._write() as db:
            db.execute(
                "DELETE FROM chats WHERE chat_id = ? AND counsellor = ? AND state = 'ended'",
                (chat_id, counsellor),
            )

    @store_errors
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

    @store_errors
    def is_available(self, counsellor: int, now: float) -> bool:
        row = self._connection().execute(
            "SELECT 1 FROM available WHERE counsellor = ? AND until > ?", (counsellor, now)
        )
        return row.fetchone() is not None

    @store_errors
    def available_count(self, now: float) -> int:
        rows = self._connection().execute("SELECT count(*) FROM available WHERE until > ?", (now,))
        (count,) = rows.fetchone()
        return int(count)

    # -- messages

    @store_errors
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

    @store_errors
    def typing(self, chat_id: str, who: Typist, now: float, *, by: int | None = None) -> None:
        with self._write() as db:
            self._active(db, chat_id, only="active", by=by)
            if who == "visitor":
                db.execute(
                    "UPDATE chats SET visitor_typed = ?, visitor_seen = ? WHERE chat_id = ?",
                    (now, now, chat_id),
                )
            else:
                db.execute(
                    "UPDATE chats SET counsellor_typed = ? WHERE chat_id = ?", (now, chat_id)
                )

    @store_errors
    def messages(self, chat_id: str, after: int) -> list[Message]:
        db = self._connection()
        self._active(db, chat_id)
        rows = db.execute(
            "SELECT seq, author, body, at FROM messages WHERE chat_id = ? AND seq > ? ORDER BY seq",
            (chat_id, after),
        )
        return [Message(seq, cast(Author, author), body, at) for seq, author, body, at in rows]

    @store_errors
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

    @store_errors
    def end(
        self, chat_id: str, reason: EndReason, now: float, *, by: int | None = None
    ) -> Ended | None:
        with self._write() as db:
            ended = self._end(db, chat_id, reason, now, by)
        self._truncate_log()
        return ended

    @store_errors
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
        typed = {"visitor": "visitor_typed", "counsellor": "counsellor_typed"}.get(author)
        (seq,) = db.execute(
            "UPDATE chats SET last_seq = last_seq + 1, last_activity = ? WHERE chat_id = ?"
            " RETURNING last_seq",
            (now, chat_id),
        ).fetchone()
        if typed:  # the message is here: its author is no longer "typing"
            db.execute(f"UPDATE chats SET {typed} = NULL WHERE chat_id = ?", (chat_id,))  # noqa: S608
        db.execute(
            "INSERT INTO messages (chat_id, seq, author, body, at) VALUES (?, ?, ?, ?, ?)",
            (chat_id, seq, author, text, now),
        )
        return Message(seq, author, text, now)

    def _info(self, db: sqlite3.Connection, chat_id: str) -> ChatInfo:
        row = db.execute(CHAT_BY_ID, (chat_id,))
        return self._row_info(db, row.fetchone())

    def _row_info(self, db: sqlite3.Connection, row: tuple[Any, ...]) -> ChatInfo:
        chat_id, state, nickname, counsellor, queue_seq, created, last_seq, reason, ended = row[:9]
        running = state != "ended"  # a tombstone has no presence
        seen, visitor_typed, counsellor_typed = row[9:] if running else (None, None, None)
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
            seen=seen,
            visitor_typed=visitor_typed,
            counsellor_typed=counsellor_typed,
        )
