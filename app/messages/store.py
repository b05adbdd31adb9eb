"""Conversations and their messages: every step on them (the tables are in models.py, what
they hold and why no more).

Every change is one conditional UPDATE on the conversation's version (compare-and-set): of two
counsellors sending at once, or a counsellor and the visitor, the second gets Stale (the same
refusal as every staff editor's, app/versioned.py) and keeps their text; nobody answers twice
unknowingly and no reply is lost. These steps do more than store values (a message is added,
a hold is taken), so they write their own UPDATEs rather than go through `Versioned.save`.

Functions take the SQLAlchemy session and the caller commits, so a step and its audit entry
(app/staff/message_views.py) are saved together.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from app.messages import codes, limits
from app.messages.crypto import Keys
from app.messages.limits import Database
from app.messages.models import (
    Author,
    Conversation,
    ConversationMessage,
    State,
    UsedForm,
    state_of,
)
from app.versioned import Stale


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


class Busy(Exception):
    """A site-wide limit is reached: say so, keep the text, offer the phone."""


class Replayed(Exception):
    """This form was already sent once."""


class Closed(Exception):
    """The conversation is closed: it can be read, not continued."""


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
        state=state_of(row.state),
        first_name=name,
        waiting_since=row.waiting_since,
        last_message_on=row.last_message_on,
        taken_by=row.taken_by,
        version=row.version,
        messages=messages,
    )


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
