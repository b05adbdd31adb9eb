"""Asking a colleague: a side thread inside a running chat, and a second reader.

The counsellor who has a chat may open one side thread to one colleague (issue 13). The two of
them write to each other there; the visitor never sees it: side messages live apart from the
chat's messages (their own table or stream), so no visitor-facing read (`messages`, `wait`,
`find`) can reach them, by construction rather than by a filter someone could forget.

The colleague does not see the visitor's conversation. Only the counsellor's action makes them
a second reader, and that action posts the system message "a colleague is reading along" into
the chat in the same transaction (SQLite) or script (Redis) that lets them read: there is no
moment at which a reader can read a chat whose visitor has not been told. A reader reads; they
do not write to the visitor. The visitor agreed to talk with one counsellor, and a second voice
appearing in the conversation would be a surprise; advice goes through the side thread.

Everything here belongs to the chat and goes with it: when the chat ends, for any reason, the
side thread, its messages and the reader are wiped in the same step as the chat's messages, and
the tombstone stays content-free. If the chat is transferred, the side thread stays with the
chat: whoever has the chat now is the counsellor side of it.

This module imports nothing from Flask.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from app.chat.store import ChatError, Message

SideAuthor = Literal["counsellor", "colleague"]
# The system event posted into the chat when a colleague starts reading along.
READER_EVENT = "reader"
# Side messages one chat may hold: enough for a consultation, not a second conversation.
MAX_SIDE_MESSAGES = 50


@dataclass(frozen=True)
class SideThread:
    chat_id: str
    counsellor: int  # who has the chat now
    colleague: int  # who was asked
    reading: bool  # the colleague was added as a second reader (the visitor was told)
    last_seq: int  # the newest side message's seq, 0 if none


@dataclass(frozen=True)
class SideMessage:
    seq: int
    author: SideAuthor
    text: str
    at: float


class AlreadyAsked(ChatError):
    """The chat already has a side thread (one colleague per chat)."""


class SideThreadFull(ChatError):
    """The side thread holds MAX_SIDE_MESSAGES already."""


class SideThreads(Protocol):
    """The side threads of one chat store, on its backend (`side_backends.side_threads_of`).

    `by`: the staff member acting. Every method that takes it checks in its own transaction
    that the chat still runs and that `by` is its counsellor (or, where said, the colleague
    asked); if not, ChatGone, the same answer as for a chat that does not exist. `find` and
    `asked` take no `by`: their callers show the result only to the counsellor or colleague
    it names.
    """

    def ask(self, chat_id: str, colleague: int, now: float, *, by: int) -> SideThread:
        """Open the chat's side thread to `colleague` (AlreadyAsked, ChatGone)."""

    def get(self, chat_id: str, *, by: int) -> SideThread:
        """The side thread, for its counsellor or its colleague (ChatGone)."""

    def find(self, chat_id: str) -> SideThread | None:
        """The side thread of a running chat, if any; for the counsellor's own chat page."""

    def post(self, chat_id: str, text: str, now: float, *, by: int) -> SideMessage:
        """Add a side message by the counsellor or the colleague (SideThreadFull, ChatGone)."""

    def messages(self, chat_id: str, after: int, *, by: int) -> list[SideMessage]:
        """Side messages with seq > after, in order, for the counsellor or colleague."""

    def add_reader(self, chat_id: str, now: float, *, by: int) -> Message | None:
        """Let the colleague read the chat, by the counsellor only. Atomically: the system
        message READER_EVENT is posted into the chat, and reading is allowed, in one step.
        Returns that message; None if the colleague reads along already (nothing is posted
        twice)."""

    def reading(self, chat_id: str, *, by: int) -> bool:
        """Whether `by` is the chat's added reader (ChatGone if the chat does not run)."""

    def asked(self, colleague: int) -> list[SideThread]:
        """The running chats whose side thread asks `colleague`, oldest first."""
