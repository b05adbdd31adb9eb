"""Open streams in this process: one per chat, and a cap on all of them together.

A frame's long poll and an event stream hold a connection (and, under gthread, a thread) for
up to 25 seconds. Without a rule, one visitor could open hundreds for the same chat, and a few
could take every connection the pages need. So each chat has at most one open stream here,
and a new one ends the old at its next wake (a reloaded page, a second tab: the newest wins);
and past `limit` open streams a new one is told to slow down instead of waiting. Nothing here
knows who anyone is: the key is the chat, which the stream's view pass already names.

This counts per process: the streams server (deploy/helpline-streams.service) has a few
workers, so one chat can hold at most one stream in each; nginx caps them all together
(deploy/nginx/nginx.conf, `limit_conn chat_streams`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class TooManyStreams(Exception):
    """This process already holds as many open streams as it may."""


class StreamSlots:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._newest: dict[str, threading.Event] = {}  # chat -> the newest stream's "replaced"
        self._open = 0

    @property
    def open(self) -> int:
        return self._open

    @contextmanager
    def slot(self, chat_id: str) -> Iterator[threading.Event]:
        """Hold a stream for `chat_id`; the event is set when a newer stream replaces it."""
        replaced = threading.Event()
        with self._lock:
            if self._open >= self.limit:
                raise TooManyStreams
            older = self._newest.get(chat_id)
            if older is not None:
                older.set()
            self._newest[chat_id] = replaced
            self._open += 1
        try:
            yield replaced
        finally:
            with self._lock:
                self._open -= 1
                if self._newest.get(chat_id) is replaced:
                    del self._newest[chat_id]
