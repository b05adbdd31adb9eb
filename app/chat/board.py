"""What the shift lead's board shows of the chat: numbers, never a chat.

Pure (no Flask). It reads the queue and the available counsellors' chats from the store and
keeps only counts: how many wait, the longest wait in whole minutes, and per available
counsellor how many chats they have. No nickname, no message, no chat id and no time of day
leaves this module, so the board's template cannot show one by mistake, and nothing is
written anywhere: the board keeps nothing (docs/privacy.md).

Built from the store's existing calls (queue, is_available, counsellor_chats), so the two
backends need nothing new; a helpline has a few dozen staff accounts at most.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.chat.store import ChatStore

MINUTE = 60


@dataclass(frozen=True)
class Load:
    name: str  # the counsellor's staff name
    chats: int  # their running chats now


@dataclass(frozen=True)
class ChatBoard:
    waiting: int
    longest_wait_minutes: int  # whole minutes, rounded down; 0 when nobody waits
    loads: tuple[Load, ...]  # the available counsellors, by name
    max_parallel: int


def chat_board(store: ChatStore, staff: Iterable[tuple[int, str]], now: float) -> ChatBoard:
    """The board's chat numbers now; `staff` is (id, name) of every active staff account."""
    queue = store.queue(now)
    longest = max((now - chat.waiting_since for chat in queue), default=0.0)
    loads = [
        Load(name, sum(chat.state == "active" for chat in store.counsellor_chats(user, now)))
        for user, name in staff
        if store.is_available(user, now)
    ]
    return ChatBoard(
        waiting=len(queue),
        longest_wait_minutes=int(max(longest, 0.0) // MINUTE),
        loads=tuple(sorted(loads, key=lambda load: load.name.casefold())),
        max_parallel=store.limits.max_parallel,
    )
