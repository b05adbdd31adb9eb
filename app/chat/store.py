"""The chat store: the one interface behind which all chat state lives.

Chat state never sits in a worker's memory: every gunicorn worker, and every machine, reads and
writes it through a `ChatStore`, so a message posted on one reaches a visitor waiting on another.
Two backends implement it: `app.chat.sqlite_store` (one machine: a file on a tmpfs path) and
`app.chat.redis_store` (several machines). `tests/chat/test_store_contract.py` runs the same
contract against both.

What is kept, and for how long (docs/privacy.md):

- while a chat runs: its nickname, its messages, the hash of the visitor's token (never the
  token), which counsellor has it, and timestamps used for the limits below (among them when
  the visitor was last seen and when each side last said "typing now": times, never text);
- when it ends, for any reason, all of that is wiped at once. Only a tombstone stays, for
  `Limits.tombstone_seconds`, so the counsellor can see *how* it ended (for example "the visitor
  used quick exit"): the chat's id, the counsellor, the reason and the time. No content;
- for the admission gate, the times of the last minute's starts, and for `use_once`, used
  start-form key hashes by two-hour period (no time); every `sweep` purges what is past.

Time is passed in (`now`, seconds since the epoch) so that the rules can be tested with a clock
the test controls; backends may add real-time expiry (Redis TTLs) as a safety net on top.
This module imports nothing from Flask.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

State = Literal["waiting", "active", "ended"]
Author = Literal["visitor", "counsellor", "system"]
Typist = Literal["visitor", "counsellor"]
# Why a chat ended. "dropped": a waiting visitor stopped polling; "idle": no message for too long.
EndReason = Literal["visitor", "counsellor", "idle", "quick_exit", "blocked", "dropped"]
# System messages carry an event code instead of text; the views put it into words.
SystemEvent = Literal["joined", "transferred", "reader"]


@dataclass(frozen=True)
class Limits:
    """The abuse limits and timeouts. None of them needs a client address."""

    max_waiting: int = 20  # admission gate: chats in the queue at once
    new_per_minute: int = 30  # admission gate: chats started in the last 60 seconds
    # Starts without a proof of work (app/chat/proof.py): no JavaScript, or a script that did
    # not compute it. They may hold only a few places, so a flood cannot fill the queue.
    unproven_waiting: int = 3
    unproven_per_minute: int = 5
    proof_bits: int = 16  # the work: about 65,000 hashes, a second or two in a browser
    max_parallel: int = 3  # chats one counsellor may have at once
    message_max_chars: int = 2000
    visitor_messages_per_minute: int = 12  # per chat
    idle_seconds: int = 20 * 60  # an active chat without any message ends itself
    # Presence (issue 13). An open page shows a sign of life every few seconds: its event
    # stream, or without JavaScript its frame, refreshes "last seen" every CHAT_BEAT_SECONDS
    # while it waits (app/public/chat_updates.py). A visitor last seen longer ago than
    # present_seconds counts as away: "take next" passes them by, and the counsellor of a
    # taken chat sees "the visitor has left". Both limits are a few beats, so a slow
    # connection or a reconnecting stream is not taken for a visitor who has gone.
    present_seconds: int = 15
    waiting_gone_seconds: int = 30  # a waiting visitor away this long leaves the queue
    # "Typing now" lasts this long unless it is sent again (at most every few seconds).
    typing_seconds: int = 6
    available_seconds: int = 180  # a counsellor's "available" lapses without console activity
    tombstone_seconds: int = 15 * 60
    start_form_seconds: int = 2 * 3600  # a start form is valid, and remembered, this long
    # A frame or event-stream address works this long; each poll gets a fresh one. Longer
    # than one event stream (app/public/chat_updates.py, EVENTS_SECONDS), short enough that an
    # address from the browser's history is dead within a minute (docs/threat-model.md).
    view_seconds: int = 60
    # Open frames and event streams one server process holds at most (app/chat/streams.py):
    # under gthread each holds a thread of the 100, so pages keep theirs; the gevent streams
    # server (deploy/helpline-streams.service) sets CHAT_STREAMS_PER_PROCESS much higher.
    streams_per_process: int = 60


@dataclass(frozen=True)
class Message:
    seq: int  # 1, 2, 3 ... within a chat: the cursor
    author: Author
    text: str  # for author "system": a SystemEvent code
    at: float


@dataclass(frozen=True)
class ChatInfo:
    chat_id: str
    state: State
    nickname: str  # "" when none was given, and always "" once ended
    counsellor: int | None  # staff user id
    position: int | None  # 1-based place in the queue while waiting
    created: float
    last_seq: int  # the newest message's seq, 0 if none
    end_reason: EndReason | None
    ended: float | None
    # Presence and typing, while the chat runs (None once ended): when the visitor last showed
    # a sign of life, and when each side last said "typing now". Times only, never text.
    seen: float | None = None
    visitor_typed: float | None = None
    counsellor_typed: float | None = None


def is_away(info: ChatInfo, limits: Limits, now: float) -> bool:
    """The visitor of a running chat has shown no sign of life for Limits.present_seconds.

    An active chat is not ended for this: a visitor whose phone locked or whose train went
    into a tunnel comes back to the same conversation, and the counsellor, who sees "the
    visitor has left" at once, decides whether to wait or end it. The idle limit
    (Limits.idle_seconds) still ends a chat nobody writes in.
    """
    return info.seen is not None and now - info.seen > limits.present_seconds


def is_typing(info: ChatInfo, who: Typist, limits: Limits, now: float) -> bool:
    """`who` said "typing now" less than Limits.typing_seconds ago: the signal expires by
    itself, so a closed page or a lost connection never leaves it on."""
    typed = info.visitor_typed if who == "visitor" else info.counsellor_typed
    return typed is not None and now - typed < limits.typing_seconds


@dataclass(frozen=True)
class Ended:
    """What ending a chat did, for the daily counters (app/counters/web.py): whether it was
    still waiting, when it was asked for and when it ended. Returned only by the call that
    really ended it, so with several workers a chat is counted once."""

    reason: EndReason
    was_waiting: bool
    created: float
    ended: float


@dataclass(frozen=True)
class QueuedChat:
    chat_id: str
    nickname: str
    first_message: str
    waiting_since: float


class ChatError(Exception):
    """Base of the store's refusals. Messages never quote chat content."""


class ChatGone(ChatError):
    """The chat does not exist (any more), or has ended."""


class QueueFull(ChatError):
    """The admission gate is closed: too many waiting, or too many new chats this minute."""


class RateLimited(ChatError):
    """The visitor sends messages faster than Limits.visitor_messages_per_minute."""


class AtLimit(ChatError):
    """The counsellor already has Limits.max_parallel chats."""


class StoreUnavailable(ChatError):
    """The backend cannot be reached; the chat counts as closed."""


class ChatStore(Protocol):
    limits: Limits

    def open(
        self,
        token_hash: str,
        nickname: str,
        first_message: str,
        now: float,
        *,
        proven: bool = True,
    ) -> ChatInfo:
        """Queue a new chat. Raises QueueFull, and then nothing is created.

        `proven`: the start came with a proof of work. Starts without one have their own,
        smaller gate (Limits.unproven_waiting, unproven_per_minute) inside the common one.
        """

    def use_once(self, key_hash: str, now: float) -> bool:
        """True the first time `key_hash` is used within Limits.start_form_seconds, else False.

        Each start form carries a one-time key: a start POST replayed from the browser's
        history (Back, then "resubmit") must not start a chat again.
        """

    def find(self, token_hash: str, now: float) -> ChatInfo | None:
        """The visitor's chat by the hash of their token; None if unknown or ended.

        Counts as a sign of life: a waiting visitor who calls this is not dropped.
        """

    def get(self, chat_id: str, now: float) -> ChatInfo | None:
        """A chat (or its tombstone) by id, for the counsellor's console."""

    def queue(self, now: float) -> list[QueuedChat]:
        """Waiting chats, longest waiting first, with their pre-typed first message."""

    def claim_next(self, counsellor: int, now: float) -> ChatInfo | None:
        """Give the longest-waiting chat whose visitor is present to `counsellor`; None if
        nobody present waits. A visitor away (`is_away`) keeps their place, in case they come
        back before the sweep ends the chat, but is never taken: nobody would answer.

        Raises AtLimit if the counsellor already has max_parallel active chats.
        """

    def transfer(self, chat_id: str, counsellor: int, now: float, *, by: int | None = None) -> None:
        """Hand an active chat to another counsellor (AtLimit, ChatGone).

        `by`, here and in `post` and `end`: the counsellor acting. The store checks in the same
        transaction that the chat is still theirs (ChatGone, or for `end` nothing, if not), so
        a colleague's chat is never touched even if it was transferred a moment ago.
        """

    def post(
        self, chat_id: str, author: Author, text: str, now: float, *, by: int | None = None
    ) -> Message:
        """Add a message (ChatGone, RateLimited for the visitor)."""

    def typing(self, chat_id: str, who: Typist, now: float, *, by: int | None = None) -> None:
        """`who` is typing in an active chat now (ChatGone if it is not active, or not `by`'s).

        Only the moment is kept, never what is typed: nothing of a message leaves the browser
        before "send". A visitor typing is also a sign of life. Posting a message ends the
        author's typing signal.
        """

    def messages(self, chat_id: str, after: int) -> list[Message]:
        """Messages with seq > after, in order (ChatGone)."""

    def wait(self, chat_id: str, after: int, timeout: float) -> list[Message]:
        """Like `messages`, but block up to `timeout` seconds until there is one; [] if none.

        Raises ChatGone if the chat ends while waiting.
        """

    def end(
        self, chat_id: str, reason: EndReason, now: float, *, by: int | None = None
    ) -> Ended | None:
        """End a chat and wipe it, leaving only a tombstone. Ending twice is harmless: the
        second call returns None, as does one that found nothing (of `by`'s) to end."""

    def counsellor_chats(self, counsellor: int, now: float) -> list[ChatInfo]:
        """The counsellor's active chats and their recent tombstones, oldest first."""

    def dismiss(self, chat_id: str, counsellor: int) -> None:
        """Remove the counsellor's tombstone of an ended chat."""

    def set_available(self, counsellor: int, available: bool, now: float) -> None:
        """Mark a counsellor (un)available; being available lapses after available_seconds."""

    def is_available(self, counsellor: int, now: float) -> bool: ...

    def available_count(self, now: float) -> int:
        """How many counsellors are available: the chat is open only if this is > 0."""

    def sweep(self, now: float) -> list[Ended]:
        """End what has expired (dropped waiting visitors, idle chats) and forget what is past:
        old tombstones, start times older than a minute, used forms of past periods. Returns
        the chats this sweep ended."""

    def close(self) -> None: ...
