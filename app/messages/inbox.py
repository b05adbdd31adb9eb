"""The counsellors' inbox: every conversation by state and days, without a word of its text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from app.messages.crypto import Keys
from app.messages.limits import Database
from app.messages.models import Conversation, ConversationMessage, State, state_of


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
            state=state_of(row.state),
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
