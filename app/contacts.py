"""The contact directory: organisations, numbers and web addresses the public pages show.

Staff edit it; templates read it through `contact(key)`, so no number is written into a
template. Entries marked `verified=False` come from general knowledge rather than the seed
texts and must be checked before launch.
"""

from __future__ import annotations

import re

from flask import g
from sqlalchemy import Boolean, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from app.db import db
from app.i18n import current_language


class Contact(db.Model):  # type: ignore[name-defined]
    __tablename__ = "contact"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(40))
    url: Mapped[str | None] = mapped_column(String(300))
    chat_url: Mapped[str | None] = mapped_column(String(300))
    description_nl: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def description(self) -> str:
        return self.description_en if current_language() == "en" else self.description_nl

    @property
    def tel(self) -> str | None:
        return tel_uri(self.phone) if self.phone else None


class MissingContact:
    """Stands in for a contact that staff deleted, so a page still renders (without it)."""

    name = ""
    phone = None
    url = None
    chat_url = None
    description = ""
    tel = None
    verified = False


def tel_uri(number: str) -> str:
    """A `tel:` URI from a number as people write it: '+31 (0)6 428 346 35' -> 'tel:+31642834635'."""
    digits = re.sub(r"\(0\)", "", number)
    digits = re.sub(r"[^\d+#*]", "", digits)
    return "tel:" + digits


def all_contacts() -> dict[str, Contact]:
    """Every contact, read once per request."""
    if "contacts" not in g:
        rows = db.session.scalars(select(Contact).order_by(Contact.position, Contact.key))
        g.contacts = {row.key: row for row in rows}
    contacts: dict[str, Contact] = g.contacts
    return contacts


def contact(key: str) -> Contact | MissingContact:
    return all_contacts().get(key) or MissingContact()
