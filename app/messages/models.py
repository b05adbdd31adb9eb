"""The messages' tables: conversations, their messages, used forms, the answer-time line.

What a row holds, and why no more:
- a random conversation id (not a counter, so ids are never reused and a ciphertext made for
  one conversation can never fit another), the HMAC of the pick-up code, a state;
- per message: the author (visitor or helpline), its order, the DATE it was sent, and the
  text encrypted (crypto.py). No time of day, no address, nothing about a browser;
- which counsellor is answering it now (`taken_by`), and a version for compare-and-set.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.schema import Base

State = Literal["waiting", "answered", "closed"]
Author = Literal["visitor", "helpline"]


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


def state_of(raw: str) -> State:
    """A stored state as the type says; anything unknown reads as closed (nothing to answer)."""
    if raw in ("waiting", "answered", "closed"):
        return raw  # type: ignore[return-value]
    return "closed"
