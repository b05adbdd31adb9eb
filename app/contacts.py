"""The contact directory: organisations, numbers and web addresses the public pages show.

Staff edit it; templates read it through `contact(key)`, so no number is written into a
template. Entries marked `verified=False` come from general knowledge rather than the seed
texts and must be checked before launch. If the database cannot be read, pages fall back to
the seed data, so the helpline number and the crisis lines always show.

Each entry has a Dutch and an English name, as it has a Dutch and an English description: an
English page must not show "Politie" or "(gratis)". An organisation's own name may be the same
in both; an empty English name falls back to the Dutch one.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from sqlalchemy import Boolean, Integer, String, Text, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from app.contact_seed import CONTACTS
from app.content_cache import cached
from app.db import db
from app.i18n import current_language

log = logging.getLogger(__name__)


class Contact(db.Model):  # type: ignore[name-defined]
    __tablename__ = "contact"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str | None] = mapped_column(String(40))
    url: Mapped[str | None] = mapped_column(String(300))
    chat_url: Mapped[str | None] = mapped_column(String(300))
    description_nl: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)


@dataclass(frozen=True)
class ContactInfo:
    """A contact as pages show it: a plain value, safe to share between requests."""

    key: str
    name_nl: str = ""
    name_en: str = ""
    phone: str | None = None
    url: str | None = None
    chat_url: str | None = None
    description_nl: str = ""
    description_en: str = ""
    verified: bool = False

    @property
    def name(self) -> str:
        """The name in the page's language; the Dutch one where no English name is given."""
        return (self.name_en or self.name_nl) if current_language() == "en" else self.name_nl

    @property
    def description(self) -> str:
        return self.description_en if current_language() == "en" else self.description_nl

    @property
    def tel(self) -> str | None:
        return tel_uri(self.phone) if self.phone else None


def tel_uri(number: str) -> str:
    """A `tel:` URI from a number as written: '+31 (0)6 428 346 35' -> 'tel:+31642834635'."""
    digits = re.sub(r"\(0\)", "", number)
    digits = re.sub(r"[^\d+#*]", "", digits)
    return "tel:" + digits


def _load() -> dict[str, ContactInfo]:
    rows = db.session.scalars(select(Contact).order_by(Contact.position, Contact.key))
    return {
        row.key: ContactInfo(
            key=row.key,
            name_nl=row.name,
            name_en=row.name_en,
            phone=row.phone,
            url=row.url,
            chat_url=row.chat_url,
            description_nl=row.description_nl,
            description_en=row.description_en,
            verified=row.verified,
        )
        for row in rows
    }


def _from_seed(row: dict[str, object]) -> ContactInfo:
    fields = {("name_nl" if name == "name" else name): value for name, value in row.items()}
    return ContactInfo(**fields)  # type: ignore[arg-type]


def all_contacts() -> dict[str, ContactInfo]:
    try:
        contacts: dict[str, ContactInfo] = cached("contacts", _load)
    except SQLAlchemyError:
        db.session.rollback()
        log.error("contact directory unavailable; showing the seed contacts")
        return {str(row["key"]): _from_seed(row) for row in CONTACTS}
    return contacts


def contact(key: str) -> ContactInfo:
    """The contact `key`; an empty one if staff removed it, so a page still renders."""
    return all_contacts().get(key) or ContactInfo(key=key)
