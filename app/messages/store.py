"""Conversations and their messages: what is kept, and every step on them.

What a row holds, and why no more:
- a random conversation id (not a counter, so ids are never reused and a ciphertext made for
  one conversation can never fit another), the HMAC of the pick-up code, a state;
- per message: the author (visitor or helpline), its order, the DATE it was sent, and the
  text encrypted (crypto.py). No time of day, no address, nothing about a browser;
- which counsellor is answering it now (`taken_by`), and a version for compare-and-set.

Every change is one conditional UPDATE on the conversation's version (compare-and-set): of two
counsellors sending at once, or a counsellor and the visitor, the second gets Stale and keeps
their text; nobody answers twice unknowingly and no reply is lost.

Functions take the SQLAlchemy session and the caller commits, so a step and its audit entry
(app/staff/message_views.py) are saved together.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import (
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app.messages import codes, limits
from app.messages.crypto import Keys
from app.messages.limits import Database
from app.schema import Base

State = Literal["waiting", "answered", "closed"]
Author = Literal["visitor", "helpline"]


@dataclass(frozen=True)
class Limits:
    """Sizes and site-wide caps (MESSAGES_<FIELD> in the environment)."""

    retention_days: int = 30
    max_open: int = 200  # conversations not closed, across the site
    new_per_minute: int = 20  # new messages (first ones and replies) across the site
    lookups_per_minute: int = 60  # pick-up codes tried across the site
    text_max_chars: int = 5000
    name_max_chars: int = 40
    form_days: int = 2  # how long a "leave a message" form stays usable


@dataclass(frozen=True)
class Desk:
    """What every step needs: the open transaction, the keys, the limits, and the clock (the
    day that is stored, and the minute that only the rate limiter sees)."""

    session: Database
    keys: Keys
    limits: Limits
    today: dt.date
    moment: dt.datetime


class Conversation(Base):
    __tablename__ = "conversation"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    lookup: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[str] = mapped_column(String(10))
    first_name: Mapped[bytes | None] = mapped_column(LargeBinary)
    waiting_since: Mapped[dt.date | None] = mapped_column(Date)
    last_message_on: Mapped[dt.date] = mapped_column(Date, index=True)
    taken_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)


class ConversationMessage(Base):
    __tablename__ = "conversation_message"

    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    author: Mapped[str] = mapped_column(String(10))
    sent_on: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[bytes] = mapped_column(LargeBinary)


class UsedForm(Base):
    """A "leave a message" form that was sent (the hash of its one-time key): Back and
    resubmit must not leave the message twice. Kept `form_days`, then swept."""

    __tablename__ = "message_used_form"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    used_on: Mapped[dt.date] = mapped_column(Date)


class MessageSettings(Base):
    """What staff say about answering (one row): "within 3 working days"."""

    __tablename__ = "message_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_time_nl: Mapped[str] = mapped_column(Text, default="")
    answer_time_en: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)


SETTINGS_ID = 1
DEFAULT_ANSWER_TIME = {"nl": "binnen 3 werkdagen", "en": "within 3 working days"}
MAX_ANSWER_TIME = 200


class Busy(Exception):
    """A site-wide limit is reached: say so, keep the text, offer the phone."""


class Replayed(Exception):
    """This form was already sent once."""


class Closed(Exception):
    """The conversation is closed: it can be read, not continued."""


class Stale(Exception):
    """The conversation changed since the page was shown (or someone else is answering it)."""


class TooLong(ValueError):
    pass


@dataclass(frozen=True)
class Message:
    author: Author
    sent_on: dt.date
    text: str


@dataclass(frozen=True)
class View:
    """One conversation as it is shown, decrypted."""

    id: str
    state: State
    first_name: str
    waiting_since: dt.date | None
    last_message_on: dt.date
    taken_by: int | None
    version: int
    messages: list[Message] = field(default_factory=list)


def _context(conversation_id: str, position: int, author: str) -> str:
    return f"message/{conversation_id}/{position}/{author}"


def _name_context(conversation_id: str) -> str:
    return f"first-name/{conversation_id}"


def clean_text(raw: str, max_chars: int) -> str:
    """A text as kept: line ends unified, outer space trimmed; TooLong over the limit."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()
    if len(text) > max_chars:
        raise TooLong
    return text


def _minute(moment: dt.datetime) -> int:
    return int(moment.timestamp()) // 60


def _spend(desk: Desk, name: str, limit: int) -> None:
    tag = limits.window_tag(desk.keys.window_key, _minute(desk.moment))
    if not limits.spend(desk.session, name, limit, tag):
        raise Busy


def open_count(session: Database) -> int:
    count = session.scalar(
        select(func.count()).select_from(Conversation).where(Conversation.state != "closed")
    )
    return int(count or 0)


def leave(desk: Desk, *, text: str, first_name: str, form_key_hash: str) -> str:
    """Start a conversation; returns the pick-up code (shown once, never stored).

    Busy when a site-wide cap is reached, Replayed when this form was sent before. The limits
    are checked before the form is used, so after "busy" the same form can be sent again.
    """
    session, keys = desk.session, desk.keys
    if open_count(session) >= desk.limits.max_open:
        raise Busy
    _spend(desk, "new", desk.limits.new_per_minute)
    try:
        with session.begin_nested():
            session.add(UsedForm(key_hash=form_key_hash, used_on=desk.today))
    except IntegrityError:
        raise Replayed from None
    code = codes.new_code()
    lookup = codes.lookup_hash(keys.lookup_keys[0], codes.normalise(code) or "")
    conversation_id = secrets.token_hex(16)
    name = keys.encrypt(first_name, _name_context(conversation_id)) if first_name else None
    session.add(
        Conversation(
            id=conversation_id,
            lookup=lookup,
            state="waiting",
            first_name=name,
            waiting_since=desk.today,
            last_message_on=desk.today,
            version=1,
        )
    )
    session.flush()
    _add_message(desk, conversation_id, "visitor", text)
    return code


def _add_message(desk: Desk, conversation_id: str, author: Author, text: str) -> None:
    last = desk.session.scalar(
        select(func.max(ConversationMessage.position)).where(
            ConversationMessage.conversation_id == conversation_id
        )
    )
    position = 0 if last is None else int(last) + 1
    desk.session.add(
        ConversationMessage(
            conversation_id=conversation_id,
            position=position,
            author=author,
            sent_on=desk.today,
            text=desk.keys.encrypt(text, _context(conversation_id, position, author)),
        )
    )
    desk.session.flush()


def find(desk: Desk, typed_code: str) -> str | None:
    """The id of the conversation a typed code leads to, or None: a wrong code, an expired or
    deleted conversation and a malformed code all give the same None. Every look-up counts
    towards the site-wide limit (Busy), a malformed one too, so neither the answer nor the
    limit says which it was."""
    _spend(desk, "lookup", desk.limits.lookups_per_minute)
    code = codes.normalise(typed_code)
    hashes = [codes.lookup_hash(key, code or "") for key in desk.keys.lookup_keys]
    found = desk.session.scalar(select(Conversation.id).where(Conversation.lookup.in_(hashes)))
    return found if code else None


def read(session: Database, keys: Keys, conversation_id: str) -> View | None:
    """The conversation, decrypted (WrongKey if it was stored under a key we do not have)."""
    row = session.get(Conversation, conversation_id, populate_existing=True)
    if row is None:
        return None
    rows = session.scalars(
        select(ConversationMessage)
        .where(ConversationMessage.conversation_id == conversation_id)
        .order_by(ConversationMessage.position)
    )
    messages = [
        Message(
            author="helpline" if m.author == "helpline" else "visitor",
            sent_on=m.sent_on,
            text=keys.decrypt(m.text, _context(conversation_id, m.position, m.author)),
        )
        for m in rows
    ]
    name = keys.decrypt(row.first_name, _name_context(row.id)) if row.first_name else ""
    return View(
        id=row.id,
        state=_state(row.state),
        first_name=name,
        waiting_since=row.waiting_since,
        last_message_on=row.last_message_on,
        taken_by=row.taken_by,
        version=row.version,
        messages=messages,
    )


def _state(raw: str) -> State:
    if raw in ("waiting", "answered", "closed"):
        return raw  # type: ignore[return-value]
    return "closed"


def _changed(result: Any) -> bool:
    return bool(result.rowcount == 1)


def visitor_reply(desk: Desk, conversation_id: str, text: str) -> None:
    """The visitor continues the conversation: it waits for an answer again."""
    row = desk.session.get(Conversation, conversation_id, populate_existing=True)
    if row is None:
        raise Stale
    if row.state == "closed":
        raise Closed
    _spend(desk, "new", desk.limits.new_per_minute)
    result = desk.session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.version == row.version)
        .values(
            state="waiting",
            waiting_since=row.waiting_since if row.state == "waiting" else desk.today,
            last_message_on=desk.today,
            version=row.version + 1,
        )
    )
    if not _changed(result):
        raise Stale
    _add_message(desk, conversation_id, "visitor", text)


def staff_reply(
    desk: Desk, conversation_id: str, *, version: int, staff_id: int, text: str
) -> int | None:
    """Send the helpline's answer, if nothing changed since the counsellor's page was shown and
    no colleague is answering it. Sending ends this counsellor's hold on it.

    Returns the days the visitor had waited for it (for the daily counters), or None if the
    conversation was not waiting (a second answer in a row). Read at the same version the
    update requires, so it is the wait this answer ended.
    """
    waiting_since = desk.session.scalar(
        select(Conversation.waiting_since).where(
            Conversation.id == conversation_id, Conversation.version == version
        )
    )
    result = desk.session.execute(
        update(Conversation)
        .where(
            Conversation.id == conversation_id,
            Conversation.version == version,
            Conversation.state != "closed",
            (Conversation.taken_by.is_(None)) | (Conversation.taken_by == staff_id),
        )
        .values(
            state="answered",
            waiting_since=None,
            taken_by=None,
            last_message_on=desk.today,
            version=version + 1,
        )
    )
    if not _changed(result):
        raise Stale
    _add_message(desk, conversation_id, "helpline", text)
    return None if waiting_since is None else (desk.today - waiting_since).days


def take(session: Database, conversation_id: str, staff_id: int) -> None:
    """ "I'm answering this": only if nobody else is (Stale otherwise)."""
    result = session.execute(
        update(Conversation)
        .where(
            Conversation.id == conversation_id,
            Conversation.taken_by.is_(None),
            Conversation.state != "closed",
        )
        .values(taken_by=staff_id, version=Conversation.version + 1)
    )
    if not _changed(result):
        raise Stale


def release(session: Database, conversation_id: str) -> None:
    """Leave it for a colleague: nobody is answering it now."""
    result = session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.taken_by.is_not(None))
        .values(taken_by=None, version=Conversation.version + 1)
    )
    if not _changed(result):
        raise Stale


def close(session: Database, conversation_id: str) -> None:
    """No more answers needed. The visitor can still read it until it is deleted."""
    result = session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.state != "closed")
        .values(state="closed", taken_by=None, waiting_since=None, version=Conversation.version + 1)
    )
    if not _changed(result):
        raise Stale


def delete_conversation(session: Database, conversation_id: str) -> bool:
    """Delete the conversation and every message in it, for good. Explicit deletes, not a
    cascade: SQLite enforces foreign keys only when asked to."""
    session.execute(
        delete(ConversationMessage).where(ConversationMessage.conversation_id == conversation_id)
    )
    result = session.execute(delete(Conversation).where(Conversation.id == conversation_id))
    return _changed(result)


def sweep(session: Database, config: Limits, today: dt.date) -> int:
    """Delete every conversation whose last message is `retention_days` old, and used form
    keys older than a form can be; returns how many conversations went."""
    cutoff = today - dt.timedelta(days=config.retention_days)
    expired = select(Conversation.id).where(Conversation.last_message_on <= cutoff)
    session.execute(
        delete(ConversationMessage).where(ConversationMessage.conversation_id.in_(expired))
    )
    result = session.execute(delete(Conversation).where(Conversation.last_message_on <= cutoff))
    session.execute(
        delete(UsedForm).where(UsedForm.used_on < today - dt.timedelta(days=config.form_days))
    )
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class Summary:
    """One conversation in the inbox: no text, only its state and days."""

    id: str
    state: State
    waiting_since: dt.date | None
    last_message_on: dt.date
    taken_by: int | None
    readable: bool


def inbox(session: Database, keys: Keys) -> tuple[list[Summary], list[Summary]]:
    """(waiting for an answer, oldest first; the rest, newest first)."""
    rows = session.scalars(select(Conversation)).all()
    firsts = {
        conversation_id: text
        for conversation_id, text in session.execute(
            select(ConversationMessage.conversation_id, ConversationMessage.text).where(
                ConversationMessage.position == 0
            )
        )
    }
    summaries = [
        Summary(
            id=row.id,
            state=_state(row.state),
            waiting_since=row.waiting_since,
            last_message_on=row.last_message_on,
            taken_by=row.taken_by,
            readable=keys.can_read(firsts.get(row.id, b"")),
        )
        for row in rows
    ]
    waiting = sorted(
        (s for s in summaries if s.state == "waiting"),
        key=lambda s: (s.waiting_since or s.last_message_on, s.id),
    )
    rest = sorted(
        (s for s in summaries if s.state != "waiting"),
        key=lambda s: s.last_message_on,
        reverse=True,
    )
    return waiting, rest


def answer_time(session: Database, lang: str) -> str:
    """Staff's line on when an answer can be expected, in the page's language."""
    row = session.get(MessageSettings, SETTINGS_ID)
    text = (row.answer_time_en if lang == "en" else row.answer_time_nl) if row else ""
    return text or DEFAULT_ANSWER_TIME["en" if lang == "en" else "nl"]


def settings_version(session: Database) -> int:
    row = session.get(MessageSettings, SETTINGS_ID)
    return row.version if row else 0


def save_answer_time(session: Database, nl: str, en: str, expected_version: int) -> None:
    """Compare-and-set like every staff editor; Stale when someone else saved first."""
    values = {"answer_time_nl": nl, "answer_time_en": en}
    if expected_version == 0:
        try:
            with session.begin_nested():
                session.add(MessageSettings(id=SETTINGS_ID, version=1, **values))
        except IntegrityError:
            raise Stale from None
        return
    result = session.execute(
        update(MessageSettings)
        .where(MessageSettings.id == SETTINGS_ID, MessageSettings.version == expected_version)
        .values(version=expected_version + 1, **values)
    )
    if not _changed(result):
        raise Stale
