"""Side threads (app/chat/side_threads.py) in the SQLite chat store's file.

Two tables next to the chat's (in sqlite_schema.sql): `side_threads` (one row per chat that
asked a colleague: who, whether they read along, the side cursor) and `side_messages`. No time
but a message's own `at` is kept. Both are wiped by `wipe`, which the store's `_end` calls in
the transaction that ends the chat, so the same `secure_delete` and log truncation cover them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol, cast

from app.chat.side_threads import (
    MAX_SIDE_MESSAGES,
    READER_EVENT,
    AlreadyAsked,
    SideAuthor,
    SideMessage,
    SideThread,
    SideThreadFull,
)
from app.chat.store import Author, ChatGone, Message, StoreUnavailable

THREAD = (
    "SELECT s.chat_id, c.counsellor, s.colleague, s.reading, s.last_seq FROM side_threads s"
    " JOIN chats c USING (chat_id) WHERE c.state = 'active'"
)


def wipe(db: sqlite3.Connection, chat_id: str) -> None:
    """Delete the chat's side thread and reader with the chat (inside its `_end`)."""
    db.execute("DELETE FROM side_messages WHERE chat_id = ?", (chat_id,))
    db.execute("DELETE FROM side_threads WHERE chat_id = ?", (chat_id,))


@contextmanager
def _reachable() -> Iterator[None]:
    """Like the store's own guard: a SQLite failure is StoreUnavailable, quoting nothing."""
    try:
        yield
    except sqlite3.Error:
        raise StoreUnavailable("chat store failed") from None


def _thread(row: tuple[str, int, int, int, int]) -> SideThread:
    chat_id, counsellor, colleague, reading, last_seq = row
    return SideThread(chat_id, counsellor, colleague, bool(reading), last_seq)


class ChatFile(Protocol):
    """What this needs of `SqliteChatStore`, named here so the store can import this module
    (for `wipe`) without an import circle."""

    def _connection(self) -> sqlite3.Connection: ...

    def _write(self) -> AbstractContextManager[sqlite3.Connection]: ...

    def _add_message(
        self, db: sqlite3.Connection, chat_id: str, author: Author, text: str, now: float
    ) -> Message: ...


class SqliteSideThreads:
    def __init__(self, store: ChatFile) -> None:
        self._store = store

    def _of(self, db: sqlite3.Connection, chat_id: str, by: int) -> SideThread:
        """The side thread of a running chat, if `by` is its counsellor or colleague."""
        row = db.execute(THREAD + " AND s.chat_id = ?", (chat_id,)).fetchone()
        thread = _thread(row) if row else None
        if thread is None or by not in {thread.counsellor, thread.colleague}:
            raise ChatGone("no such side thread")
        return thread

    def ask(self, chat_id: str, colleague: int, now: float, *, by: int) -> SideThread:
        with _reachable(), self._store._write() as db:
            owner = db.execute(
                "SELECT counsellor FROM chats WHERE chat_id = ? AND state = 'active'", (chat_id,)
            ).fetchone()
            if owner is None or owner[0] != by or colleague == by:
                raise ChatGone("no such active chat")
            added = db.execute(
                "INSERT INTO side_threads (chat_id, colleague) VALUES (?, ?)"
                " ON CONFLICT DO NOTHING",
                (chat_id, colleague),
            )
            if added.rowcount != 1:
                raise AlreadyAsked("this chat has asked a colleague already")
            return SideThread(chat_id, by, colleague, reading=False, last_seq=0)

    def get(self, chat_id: str, *, by: int) -> SideThread:
        with _reachable():
            return self._of(self._store._connection(), chat_id, by)

    def find(self, chat_id: str) -> SideThread | None:
        with _reachable():
            row = self._store._connection().execute(THREAD + " AND s.chat_id = ?", (chat_id,))
            found = row.fetchone()
        return _thread(found) if found else None

    def post(self, chat_id: str, text: str, now: float, *, by: int) -> SideMessage:
        with _reachable(), self._store._write() as db:
            thread = self._of(db, chat_id, by)
            if thread.last_seq >= MAX_SIDE_MESSAGES:
                raise SideThreadFull("the side thread is full")
            author: SideAuthor = "counsellor" if by == thread.counsellor else "colleague"
            seq = thread.last_seq + 1
            db.execute("UPDATE side_threads SET last_seq = ? WHERE chat_id = ?", (seq, chat_id))
            db.execute(
                "INSERT INTO side_messages (chat_id, seq, author, body, at) VALUES (?, ?, ?, ?, ?)",
                (chat_id, seq, author, text, now),
            )
            return SideMessage(seq, author, text, now)

    def messages(self, chat_id: str, after: int, *, by: int) -> list[SideMessage]:
        with _reachable():
            db = self._store._connection()
            self._of(db, chat_id, by)
            rows = db.execute(
                "SELECT seq, author, body, at FROM side_messages WHERE chat_id = ? AND seq > ?"
                " ORDER BY seq",
                (chat_id, after),
            ).fetchall()
        return [SideMessage(seq, cast(SideAuthor, who), body, at) for seq, who, body, at in rows]

    def add_reader(self, chat_id: str, now: float, *, by: int) -> Message | None:
        """One write transaction: the message to the visitor and the permission to read
        commit together or not at all."""
        with _reachable(), self._store._write() as db:
            thread = self._of(db, chat_id, by)
            if by != thread.counsellor:
                raise ChatGone("only the chat's counsellor adds a reader")
            if thread.reading:
                return None
            message = self._store._add_message(db, chat_id, "system", READER_EVENT, now)
            db.execute("UPDATE side_threads SET reading = 1 WHERE chat_id = ?", (chat_id,))
            return message

    def reading(self, chat_id: str, *, by: int) -> bool:
        with _reachable():
            thread = self._of(self._store._connection(), chat_id, by)
        return thread.reading and by == thread.colleague

    def asked(self, colleague: int) -> list[SideThread]:
        with _reachable():
            rows = self._store._connection().execute(
                THREAD + " AND s.colleague = ? ORDER BY c.created", (colleague,)
            )
            return [_thread(row) for row in rows]
