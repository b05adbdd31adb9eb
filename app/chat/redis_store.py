"""The chat store on Redis (or Valkey), for several app machines sharing one chat.

Keys (P is the prefix, "chat:" by default; ids are `secrets.token_urlsafe(12)`):

    P c:{id}         hash    a chat: state, nick, counsellor, created, n, last_seq,
                             token (the token's hash), seen, touched. Once ended the same key
                             is rewritten as the tombstone: state, counsellor, created, n,
                             reason, ended. Nothing else survives the end.
    P m:{id}         stream  the messages; entry id "{seq}-0", fields a (author), t, at
    P r:{id}         zset    times of the visitor's messages (seq -> at): the per-chat rate
    P t:{hash}       string  token hash -> chat id
    P queue          list    waiting chat ids, oldest first
    P chats          zset    every chat id with a hash (live or tombstone), by open order n
    P k:{counsellor} zset    a counsellor's active chats and tombstones, by open order n
    P serial         string  counter behind n (ties of `created` keep their order)
    P opened         zset    random member -> time of each open in the last minute (no ids)
    P opened:unproven zset   the same, for the opens without a proof of work
    P unproven       set     ids of chats opened without a proof of work (till they end)
    P available      zset    counsellor -> time of their last set_available(True)
    P forms:{period} set     used start forms' key hashes (use_once), by two-hour period

Logical time comes only from the `now` arguments. Every key also carries a real-time TTL, so
that nothing outlives its purpose when no app server is left to sweep (and so that a key can
never sit in memory for ever); each TTL is the logical limit plus MARGIN, since the app
machines' clocks may disagree by a little and a sweep runs only every so often:

- chat, messages, rate and token: the longer of idle_seconds and waiting_gone_seconds, renewed
  by each message, claim, transfer and each `find` (the visitor polling);
- tombstone: tombstone_seconds, from the end;
- queue, chats, k:*, serial: the longest of the above, renewed with any chat they list, so an
  index always outlives its entries (entries left behind by an expired chat are skipped);
- opened: one minute; available: available_seconds, from the last set_available(True);
- forms:{period}: until its forms have expired (the end of the next period).

Timing data outlives its rule by nothing but that margin: every sweep also drops the starts of
`opened` older than a minute and the used-form sets of past periods (issue 16). A used form's
key hash is kept with the number of its two-hour period, never with a time.

Every change is one Lua script (atomic: two counsellors can never claim the same chat, and no
key is ever seen without its TTL), so this needs one Redis, not a Redis Cluster. Content is only
ever sent as script arguments; the deploy config (deploy/redis.conf.example) keeps the server
from persisting or slow-logging it. Any Redis failure becomes `StoreUnavailable`, and no
exception raised here quotes chat content.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

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

MARGIN = 60  # seconds added to every TTL: clock skew between machines, time between sweeps
DEFAULT_LIMITS = Limits()
BLOCK_SLICE = 1.0  # seconds: `wait` blocks at most this long before it checks the chat again
# The Lua scripts, one file each in redis_lua/ with its ARGV described at its top; every script
# is sent with common.lua before it (its ARGV[1..3] and shared functions).
LUA = Path(__file__).parent / "redis_lua"
SCRIPTS = ("open", "seen", "claim", "transfer", "post", "end", "dismiss", "use_once")


def _lua(name: str) -> str:
    return (LUA / f"{name}.lua").read_text(encoding="utf-8")


_FIELDS = ("state", "nick", "counsellor", "created", "last_seq", "reason", "ended")


@contextmanager
def _reachable() -> Iterator[None]:
    """Turn any Redis failure into StoreUnavailable, naming only the kind of failure."""
    try:
        yield
    except redis.RedisError as exc:
        raise StoreUnavailable(f"chat store unavailable ({type(exc).__name__})") from None


def _f(value: float) -> str:
    """A time as Redis and Lua read it back exactly."""
    return repr(float(value))


def _who(counsellor: int | None) -> str:
    """The acting counsellor as the scripts compare it ('' when anyone may act)."""
    return "" if counsellor is None else str(counsellor)


def _ended(done: Any, reason: EndReason, now: float) -> Ended | None:
    """end.lua's answer ({state, created} if it ended the chat, else 0) as an Ended."""
    if not done:
        return None
    state, created = done
    return Ended(reason, state == "waiting", float(created), now)


class RedisChatStore:
    """`ChatStore` on Redis; see the module docstring for the keys and their TTLs."""

    def __init__(
        self,
        url: str,
        limits: Limits = DEFAULT_LIMITS,
        prefix: str = "chat:",
        *,
        ttl_margin: int = MARGIN,  # tests of the real-time expiry shorten it
    ) -> None:
        self.limits = limits
        self.prefix = prefix
        self._redis = redis.Redis.from_url(
            url,
            decode_responses=True,
            socket_connect_timeout=2,
            socket_timeout=BLOCK_SLICE + 4,
            retry=Retry(NoBackoff(), 0),  # a failed call is reported, not silently repeated
        )
        self._live_ttl = max(limits.idle_seconds, limits.waiting_gone_seconds) + ttl_margin
        self._tomb_ttl = limits.tombstone_seconds + ttl_margin
        self._opened_ttl = 60 + ttl_margin
        self._available_ttl = limits.available_seconds + ttl_margin
        self._index_ttl = max(self._live_ttl, self._tomb_ttl)
        common = _lua("common")
        self._scripts = {name: self._redis.register_script(common + _lua(name)) for name in SCRIPTS}

    def _run(self, script: str, *args: str | int) -> Any:
        common = (self.prefix, self._live_ttl, self._index_ttl)
        with _reachable():
            return self._scripts[script](args=[*common, *args])

    def _key(self, kind: str, name: object = "") -> str:
        return f"{self.prefix}{kind}{name}"

    # The visitor

    def open(
        self,
        token_hash: str,
        nickname: str,
        first_message: str,
        now: float,
        *,
        proven: bool = True,
    ) -> ChatInfo:
        chat_id = secrets.token_urlsafe(12)
        admitted = self._run(
            "open",
            chat_id,
            token_hash,
            nickname,
            first_message,
            _f(now),
            self.limits.max_waiting,
            _f(now - 60),
            self.limits.new_per_minute,
            secrets.token_hex(8),
            self._opened_ttl,
            "1" if proven else "0",
            self.limits.unproven_waiting,
            self.limits.unproven_per_minute,
        )
        if not admitted:
            raise QueueFull("the chat queue is full")
        info = self._info(chat_id)
        assert info is not None  # noqa: S101 (just created, in the same script)
        return info

    def find(self, token_hash: str, now: float) -> ChatInfo | None:
        chat_id = self._run("seen", token_hash, _f(now))
        return self._info(chat_id) if chat_id else None

    # The counsellor

    def get(self, chat_id: str, now: float) -> ChatInfo | None:
        info = self._info(chat_id)
        if info and info.ended is not None and now - info.ended >= self.limits.tombstone_seconds:
            return None
        return info

    def queue(self, now: float) -> list[QueuedChat]:
        with _reachable():
            ids = cast(list[str], self._redis.lrange(self._key("queue"), 0, -1))
            pipe = self._redis.pipeline()
            for chat_id in ids:
                pipe.hmget(self._key("c:", chat_id), ["state", "nick", "created"])
                pipe.xrange(self._key("m:", chat_id), "1-0", "1-0")  # the pre-typed message
            rows = pipe.execute()
        queued = []
        for chat_id, (state, nick, created), first in zip(ids, rows[::2], rows[1::2], strict=True):
            if state == "waiting":
                text = first[0][1]["t"] if first and first[0][1]["a"] == "visitor" else ""
                queued.append(QueuedChat(chat_id, nick, text, float(created)))
        return queued

    def claim_next(self, counsellor: int, now: float) -> ChatInfo | None:
        result = self._run("claim", counsellor, _f(now), self.limits.max_parallel)
        if result[0] == "limit":
            raise AtLimit("the counsellor has the maximum number of chats")
        return self._info(result[1]) if result[0] == "ok" else None

    def transfer(self, chat_id: str, counsellor: int, now: float, *, by: int | None = None) -> None:
        limit = self.limits.max_parallel
        result = self._run("transfer", chat_id, counsellor, _f(now), limit, _who(by))
        if result == "gone":
            raise ChatGone("no such active chat")
        if result == "limit":
            raise AtLimit("the counsellor has the maximum number of chats")

    def counsellor_chats(self, counsellor: int, now: float) -> list[ChatInfo]:
        with _reachable():
            ids = cast(list[str], self._redis.zrange(self._key("k:", counsellor), 0, -1))
        chats = (self.get(chat_id, now) for chat_id in ids)
        return [info for info in chats if info and info.counsellor == counsellor]

    def dismiss(self, chat_id: str, counsellor: int) -> None:
        self._run("dismiss", chat_id, counsellor)

    # Messages

    def post(
        self, chat_id: str, author: Author, text: str, now: float, *, by: int | None = None
    ) -> Message:
        result = self._run(
            "post",
            chat_id,
            author,
            text,
            _f(now),
            _f(now - 60),
            self.limits.visitor_messages_per_minute,
            _who(by),
        )
        if result[0] == "gone":
            raise ChatGone("no such chat")
        if result[0] == "rate":
            raise RateLimited("too many messages this minute")
        return Message(seq=int(result[1]), author=author, text=text, at=now)

    def messages(self, chat_id: str, after: int) -> list[Message]:
        with _reachable():
            pipe = self._redis.pipeline()  # MULTI: the state and the messages of one moment
            pipe.hget(self._key("c:", chat_id), "state")
            pipe.xrange(self._key("m:", chat_id), min=f"{max(after, 0) + 1}-0")
            state, entries = pipe.execute()
        if state not in {"waiting", "active"}:
            raise ChatGone("no such chat")
        return [
            Message(int(entry_id.split("-")[0]), fields["a"], fields["t"], float(fields["at"]))
            for entry_id, fields in entries
        ]

    def wait(self, chat_id: str, after: int, timeout: float) -> list[Message]:
        deadline = time.monotonic() + timeout
        stream = self._key("m:", chat_id)
        while True:
            found = self.messages(chat_id, after)
            remaining = deadline - time.monotonic()
            if found or remaining <= 0:
                return found
            # Wakes at once on a new message; at least every slice to notice an ended chat.
            block_ms = max(1, int(min(remaining, BLOCK_SLICE) * 1000))
            with _reachable():
                self._redis.xread({stream: f"{max(after, 0)}-0"}, count=1, block=block_ms)

    # Ending

    def end(
        self, chat_id: str, reason: EndReason, now: float, *, by: int | None = None
    ) -> Ended | None:
        done = self._run("end", chat_id, reason, _f(now), self._tomb_ttl, "", "", 0, _who(by))
        return _ended(done, reason, now)

    def sweep(self, now: float) -> list[Ended]:
        limits = self.limits
        ended: list[Ended | None] = []
        with _reachable():
            pipe = self._redis.pipeline(transaction=False)
            pipe.zremrangebyscore(
                self._key("available"), "-inf", _f(now - limits.available_seconds)
            )
            pipe.zremrangebyscore(self._key("opened"), "-inf", _f(now - 60))
            pipe.zremrangebyscore(self._key("opened:unproven"), "-inf", _f(now - 60))
            period = self._period(now)
            pipe.delete(self._key("forms:", period - 2), self._key("forms:", period - 3))
            pipe.execute()
            ids = cast(list[str], self._redis.zrange(self._key("chats"), 0, -1))
            pipe = self._redis.pipeline(transaction=False)
            for chat_id in ids:
                pipe.hmget(self._key("c:", chat_id), ["state", "counsellor", "ended"])
            rows = pipe.execute()
        tomb = self._tomb_ttl
        for chat_id, (state, counsellor, at) in zip(ids, rows, strict=True):
            # The script checks the condition again: the visitor may have polled meanwhile.
            if state == "waiting":  # dropped: last seen more than waiting_gone_seconds ago
                gone = limits.waiting_gone_seconds
                done = self._run(
                    "end", chat_id, "dropped", _f(now), tomb, "waiting", "seen", gone, ""
                )
                ended.append(_ended(done, "dropped", now))
            elif state == "active":  # idle: no message (or claim) for more than idle_seconds
                idle = limits.idle_seconds
                done = self._run(
                    "end", chat_id, "idle", _f(now), tomb, "active", "touched", idle, ""
                )
                ended.append(_ended(done, "idle", now))
            elif state is None or now - float(at) >= limits.tombstone_seconds:
                self._forget(chat_id, counsellor if state else None)
        return [one for one in ended if one is not None]

    def _forget(self, chat_id: str, counsellor: str | None) -> None:
        """Remove an old tombstone, or the index entries of a chat that expired in Redis."""
        with _reachable():
            pipe = self._redis.pipeline()
            pipe.zrem(self._key("chats"), chat_id)
            pipe.lrem(self._key("queue"), 0, chat_id)
            pipe.delete(self._key("c:", chat_id))
            if counsellor:
                pipe.zrem(self._key("k:", counsellor), chat_id)
            pipe.execute()

    def _period(self, now: float) -> int:
        return int(now // self.limits.start_form_seconds)

    def use_once(self, key_hash: str, now: float) -> bool:
        """One set per two-hour period: a form is valid for one period at most, so this
        period's set and the last one's hold every key a replay can bring."""
        period = self._period(now)
        current, last = self._key("forms:", period), self._key("forms:", period - 1)
        ttl = int((period + 2) * self.limits.start_form_seconds - now) + MARGIN
        return bool(self._run("use_once", current, last, key_hash, ttl))

    # Availability

    def set_available(self, counsellor: int, available: bool, now: float) -> None:
        key = self._key("available")
        with _reachable():
            if available:
                pipe = self._redis.pipeline()
                pipe.zadd(key, {str(counsellor): now})
                pipe.expire(key, self._available_ttl)
                pipe.execute()
            else:
                self._redis.zrem(key, str(counsellor))

    def is_available(self, counsellor: int, now: float) -> bool:
        with _reachable():
            since = cast(float | None, self._redis.zscore(self._key("available"), str(counsellor)))
        return since is not None and now - float(since) < self.limits.available_seconds

    def available_count(self, now: float) -> int:
        cutoff = now - self.limits.available_seconds
        with _reachable():
            return cast(int, self._redis.zcount(self._key("available"), f"({_f(cutoff)}", "+inf"))

    def close(self) -> None:
        self._redis.close()

    # Reading one chat

    def _info(self, chat_id: str) -> ChatInfo | None:
        with _reachable():
            pipe = self._redis.pipeline()
            pipe.hmget(self._key("c:", chat_id), list(_FIELDS))
            pipe.lpos(self._key("queue"), chat_id)
            (state, nick, counsellor, created, last_seq, reason, ended), index = pipe.execute()
        if state is None:
            return None
        return ChatInfo(
            chat_id=chat_id,
            state=state,
            nickname=nick or "",
            counsellor=int(counsellor) if counsellor else None,
            position=index + 1 if state == "waiting" and index is not None else None,
            created=float(created),
            last_seq=int(last_seq or 0),
            end_reason=reason,
            ended=float(ended) if ended else None,
        )
