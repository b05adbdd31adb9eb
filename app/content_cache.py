"""Staff-edited content (hours, contacts) cached in each worker process, never stale for long.

Reading the schedule from the database on every request would cost a query per page. Instead
each saved change bumps a revision number in the `revision` table; a worker compares its copy's
revision with the table at most once every CONTENT_CHECK_SECONDS (one tiny query for all
content), and reloads what changed. This works across gunicorn workers and across machines
sharing PostgreSQL. The worker that saved a change sees it at once: the stores bump revisions
in plain SQLAlchemy (app/revision.py) and note the key in the session; when that transaction
ends, `_forget_bumped` drops this worker's copy.

When the database fails (missing, locked, corrupt), the cache stops asking it for
CONTENT_RETRY_SECONDS and raises `ContentUnavailable` at once, so callers show their fallback
without waiting: a locked SQLite file makes every query wait out its 5-second busy timeout,
and a page looks up content several times (the contact page took 20 s, close to gunicorn's
30-second timeout).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.db import db
from app.page_inputs import note_read
from app.revision import BUMPED, read_revisions


class ContentUnavailable(SQLAlchemyError):
    """The database failed moments ago; it is left alone until the retry time."""


class ContentCache:
    """Per-app cache of loaded content, keyed by name, checked against `revision`."""

    def __init__(self, check_seconds: float, retry_seconds: float) -> None:
        self.check_seconds = check_seconds
        self.retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._values: dict[str, tuple[int, Any]] = {}
        self._revisions: dict[str, int] = {}
        self._checked_at = float("-inf")
        self._retry_at = float("-inf")

    def _refresh_revisions(self) -> None:
        """Re-read the revision numbers if the last look is older than `check_seconds`.

        Called with the lock held.
        """
        now = time.monotonic()
        if now < self._retry_at:
            raise ContentUnavailable("the database failed moments ago")
        if now - self._checked_at >= self.check_seconds:
            self._revisions = self._guard(_read_revisions)
            self._checked_at = now

    def revisions(self) -> tuple[tuple[str, int], ...]:
        """The revision of every kind of content, as fresh as `get` would use."""
        with self._lock:
            self._refresh_revisions()
            return tuple(sorted(self._revisions.items()))

    def get(self, key: str, load: Callable[[], Any]) -> Any:
        with self._lock:
            self._refresh_revisions()
            revision = self._revisions.get(key, 0)
            cached = self._values.get(key)
            if cached is not None and cached[0] == revision:
                return cached[1]
        value = self._guard(load)
        with self._lock:
            self._values[key] = (revision, value)
        return value

    def _guard(self, query: Callable[[], Any]) -> Any:
        """Run `query`; if the database fails, rest it for `retry_seconds` from now."""
        try:
            return query()
        except SQLAlchemyError:
            self._retry_at = time.monotonic() + self.retry_seconds
            raise

    def forget(self, key: str) -> None:
        with self._lock:
            self._values.pop(key, None)
            self._checked_at = float("-inf")
            self._retry_at = float("-inf")


def _read_revisions() -> dict[str, int]:
    return read_revisions(db.session)


def cached(key: str, load: Callable[[], Any]) -> Any:
    note_read(key)  # a page that shows this content must declare it (app/page_inputs.py)
    cache: ContentCache = current_app.extensions["content_cache"]
    return cache.get(key, load)


def revisions() -> tuple[tuple[str, int], ...]:
    cache: ContentCache = current_app.extensions["content_cache"]
    return cache.revisions()


def forget(key: str) -> None:
    cache: ContentCache = current_app.extensions["content_cache"]
    cache.forget(key)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_bumped(session: Session) -> None:
    """Drop this worker's copy of what the transaction bumped (app/revision.py), committed or
    not: after a commit the next look reloads the new content at its new revision; after a
    rollback it reloads what is still there, which costs one query and is never wrong."""
    bumped = session.info.pop(BUMPED, set())
    if bumped and has_app_context() and "content_cache" in current_app.extensions:
        for key in bumped:
            forget(key)


def init_app(app: Flask) -> None:
    app.extensions["content_cache"] = ContentCache(
        check_seconds=app.config.get("CONTENT_CHECK_SECONDS", 5.0),
        retry_seconds=app.config.get("CONTENT_RETRY_SECONDS", 10.0),
    )
