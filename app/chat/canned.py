"""Ready-made chat replies: written once by staff, sent by counsellors with one choice.

Part of the chat, though only staff pages use it: the console (app/staff/console_views.py) and
the message inbox insert them, the editor (app/staff/replies_views.py) writes them.
"""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.schema import Base


class CannedResponse(Base):
    """A ready-made chat reply that staff write once and counsellors send with one choice.

    Written by staff, never by visitors: this table holds no chat content.
    """

    __tablename__ = "canned_response"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
