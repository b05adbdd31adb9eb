"""Side threads (app/chat/side_threads.py) on the Redis chat store.

Keys, next to the chat's (app/chat/redis_store.py; P is the prefix):

    P s:{id}   hash    the side thread: colleague, reading ('1' once added), last_seq
    P sm:{id}  stream  its messages; entry id "{seq}-0", fields a (author), t, at

They carry the chat's live TTL and are renewed with it (`touch` in common.lua), and end.lua
deletes them in the script that ends the chat: nothing of them outlives the chat. Each change
is one Lua script (redis_lua/side_*.lua), so adding a reader and telling the visitor are one
atomic step. Reads take the chat's state and the side thread in one MULTI, so a side thread is
never answered for a chat that has ended.
"""

from __future__ import annotations

from typing import Any, cast

from app.chat.redis_scripts import lua, lua_time, reachable
from app.chat.redis_store import RedisChatStore
from app.chat.side_threads import (
    MAX_SIDE_MESSAGES,
    READER_EVENT,
    AlreadyAsked,
    SideAuthor,
    SideMessage,
    SideThread,
    SideThreadFull,
)
from app.chat.store import ChatGone, Message

SCRIPTS = ("side_ask", "side_post", "side_reader")


def _thread(chat_id: str, chat: list[Any], side: list[Any]) -> SideThread | None:
    """A side thread from HMGETs of the chat (state, counsellor) and of s:{id}."""
    state, counsellor = chat
    colleague, reading, last_seq = side
    if state != "active" or not colleague:
        return None
    return SideThread(chat_id, int(counsellor), int(colleague), reading == "1", int(last_seq))


class RedisSideThreads:
    def __init__(self, store: RedisChatStore) -> None:
        self._store = store
        common = lua("common") + lua("side_common")
        register = store._redis.register_script
        self._scripts = {name: register(common + lua(name)) for name in SCRIPTS}

    def _run(self, script: str, *args: str | int) -> Any:
        store = self._store
        common = (store.prefix, store._live_ttl, store._index_ttl)
        with reachable():
            return self._scripts[script](args=[*common, *args])

    def _read(self, chat_ids: list[str], with_messages: int | None = None) -> list[Any]:
        """The chats' (state, counsellor) and side threads, and the first one's side messages
        after `with_messages`, as one moment's view."""
        key = self._store._key
        with reachable():
            pipe = self._store._redis.pipeline()
            for chat_id in chat_ids:
                pipe.hmget(key("c:", chat_id), ["state", "counsellor"])
                pipe.hmget(key("s:", chat_id), ["colleague", "reading", "last_seq"])
            if with_messages is not None:
                pipe.xrange(key("sm:", chat_ids[0]), min=f"{max(with_messages, 0) + 1}-0")
            return cast(list[Any], pipe.execute())

    def _of(self, chat_id: str, by: int) -> SideThread:
        chat, side = self._read([chat_id])
        return self._check(_thread(chat_id, chat, side), by)

    @staticmethod
    def _check(thread: SideThread | None, by: int) -> SideThread:
        if thread is None or by not in {thread.counsellor, thread.colleague}:
            raise ChatGone("no such side thread")
        return thread

    def ask(self, chat_id: str, colleague: int, now: float, *, by: int) -> SideThread:
        result = self._run("side_ask", chat_id, colleague, by)
        if result == "gone":
            raise ChatGone("no such active chat")
        if result == "asked":
            raise AlreadyAsked("this chat has asked a colleague already")
        return SideThread(chat_id, by, colleague, reading=False, last_seq=0)

    def get(self, chat_id: str, *, by: int) -> SideThread:
        return self._of(chat_id, by)

    def find(self, chat_id: str) -> SideThread | None:
        chat, side = self._read([chat_id])
        return _thread(chat_id, chat, side)

    def post(self, chat_id: str, text: str, now: float, *, by: int) -> SideMessage:
        result = self._run("side_post", chat_id, by, text, lua_time(now), MAX_SIDE_MESSAGES)
        if result[0] == "gone":
            raise ChatGone("no such side thread")
        if result[0] == "full":
            raise SideThreadFull("the side thread is full")
        return SideMessage(int(result[1]), cast(SideAuthor, result[2]), text, now)

    def messages(self, chat_id: str, after: int, *, by: int) -> list[SideMessage]:
        chat, side, entries = self._read([chat_id], with_messages=after)
        self._check(_thread(chat_id, chat, side), by)
        return [
            SideMessage(int(entry_id.split("-")[0]), fields["a"], fields["t"], float(fields["at"]))
            for entry_id, fields in entries
        ]

    def add_reader(self, chat_id: str, now: float, *, by: int) -> Message | None:
        result = self._run("side_reader", chat_id, by, lua_time(now))
        if result[0] == "gone":
            raise ChatGone("only the chat's counsellor adds a reader")
        if result[0] == "already":
            return None
        return Message(int(result[1]), "system", READER_EVENT, now)

    def reading(self, chat_id: str, *, by: int) -> bool:
        thread = self._of(chat_id, by)
        return thread.reading and by == thread.colleague

    def asked(self, colleague: int) -> list[SideThread]:
        with reachable():
            ids = cast(list[str], self._store._redis.zrange(self._store._key("chats"), 0, -1))
        if not ids:
            return []
        rows = self._read(ids)
        threads = (
            _thread(chat_id, chat, side)
            for chat_id, chat, side in zip(ids, rows[::2], rows[1::2], strict=True)
        )
        return [t for t in threads if t is not None and t.colleague == colleague]
