"""The SQLite chat store's admission gate and used start forms (app/chat/store.py, `open` and
`use_once`).

Timing data is kept no longer than its rule needs it, and every sweep purges what is past
(issue 16): `admissions` holds the start times of the last minute only (the per-minute gate);
`used_start_forms` holds a used start form's key hash with the number of the two-hour period it
was used in, not a time, and forgets it once the form has expired (`use_once`).
"""

from __future__ import annotations

import sqlite3

from app.chat.sqlite_file import SqliteFile, store_errors
from app.chat.store import QueueFull

MINUTE = 60.0


class SqliteGate(SqliteFile):
    """The gate's bookkeeping; `SqliteChatStore.open` applies it in its own transaction."""

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

    @store_errors
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
