"""What the Redis chat store (app/chat/redis_store.py) needs around Redis itself: its Lua
scripts, turning Redis failures into StoreUnavailable, and the values the scripts exchange."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import redis

from app.chat.store import Ended, EndReason, StoreUnavailable

# The Lua scripts, one file each in redis_lua/ with its ARGV described at its top; every script
# is sent with common.lua before it (its ARGV[1..3] and shared functions).
LUA = Path(__file__).parent / "redis_lua"
SCRIPTS = ("open", "seen", "claim", "transfer", "post", "end", "dismiss", "use_once", "typing")


def lua(name: str) -> str:
    return (LUA / f"{name}.lua").read_text(encoding="utf-8")


@contextmanager
def reachable() -> Iterator[None]:
    """Turn any Redis failure into StoreUnavailable, naming only the kind of failure."""
    try:
        yield
    except redis.RedisError as exc:
        raise StoreUnavailable(f"chat store unavailable ({type(exc).__name__})") from None


def lua_time(value: float) -> str:
    """A time as Redis and Lua read it back exactly."""
    return repr(float(value))


def acting(counsellor: int | None) -> str:
    """The acting counsellor as the scripts compare it ('' when anyone may act)."""
    return "" if counsellor is None else str(counsellor)


def as_ended(done: Any, reason: EndReason, now: float) -> Ended | None:
    """end.lua's answer ({state, created} if it ended the chat, else 0) as an Ended."""
    if not done:
        return None
    state, created = done
    return Ended(reason, state == "waiting", float(created), now)
