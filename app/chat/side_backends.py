"""The side threads (app/chat/side_threads.py) of a chat store, on the store's own backend.

A module of its own so that neither the store interface nor the backends import the side
threads' backends: each of those imports its store, and this picks the one that fits.
"""

from __future__ import annotations

from app.chat.side_threads import SideThreads
from app.chat.sqlite_side import SqliteSideThreads
from app.chat.sqlite_store import SqliteChatStore
from app.chat.store import ChatStore


def side_threads_of(store: ChatStore) -> SideThreads:
    """The side threads kept next to `store`'s chats (SQLite file or Redis)."""
    if isinstance(store, SqliteChatStore):
        return SqliteSideThreads(store)
    from app.chat.redis_side import RedisSideThreads
    from app.chat.redis_store import RedisChatStore

    if not isinstance(store, RedisChatStore):
        raise TypeError(f"no side threads for {type(store).__name__}")
    return RedisSideThreads(store)
