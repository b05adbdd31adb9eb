"""The contact directory: organisations, numbers and web addresses the public pages show.

Staff edit it; templates read it through `contact(key)` (app/content.py, through the worker
cache), so no number is written into a template. Entries marked `verified=False` come from
general knowledge rather than the seed texts and must be checked before launch. If the
database cannot be read, pages fall back to the seed data (`fallback_contacts`), so the helpline
number and the crisis lines always show.

Each entry has a Dutch and an English name, as it has a Dutch and an English description: an
English page must not show "Politie" or "(gratis)". An organisation's own name may be the same
in both; an empty English name falls back to the Dutch one. The language is a field of the
value (`lang`), set by the web layer for each page, so this module needs no request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from app.contact_seed import CONTACTS
from app.revision import Database
from app.schema import Base
from app.versioned import Audit, Change, Stale, Versioned

EDITABLE = (
    "name",
    "name_en",
    "phone",
    "url",
    "chat_url",
    "description_nl",
    "description_en",
    "verified",
)


class Contact(Base):
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


ROWS = Versioned(Contact, revision="contacts")


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
    lang: str = "nl"

    @property
    def name(self) -> str:
        """The name in the page's language; the Dutch one where no English name is given."""
        return (self.name_en or self.name_nl) if self.lang == "en" else self.name_nl

    @property
    def description(self) -> str:
        return self.description_en if self.lang == "en" else self.description_nl

    @property
    def tel(self) -> str | None:
        return tel_uri(self.phone) if self.phone else None


def tel_uri(number: str) -> str:
    """A `tel:` URI from a number as written: '+31 (0)6 428 346 35' -> 'tel:+31642834635'."""
    digits = re.sub(r"\(0\)", "", number)
    digits = re.sub(r"[^\d+#*]", "", digits)
    return "tel:" + digits


def load_contacts(session: Database) -> dict[str, ContactInfo]:
    """Every stored contact by key, in the directory's order, straight from the database."""
    rows = session.scalars(select(Contact).order_by(Contact.position, Contact.key))
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


def fallback_contacts() -> dict[str, ContactInfo]:
    """The seed directory as pages show it when the database cannot be read."""
    return {str(row["key"]): _from_seed(row) for row in CONTACTS}


def _from_seed(row: dict[str, object]) -> ContactInfo:
    fields = {("name_nl" if name == "name" else name): value for name, value in row.items()}
    return ContactInfo(**fields)  # type: ignore[arg-type]


def editable(contact: Contact) -> dict[str, Any]:
    """What staff may change of a stored contact, by field name."""
    return {name: getattr(contact, name) for name in EDITABLE}


def save_contact(
    session: Database,
    key: str,
    expected_version: int,
    values: dict[str, Any],
    *,
    audit: Audit | None = None,
) -> int:
    """Change the existing contact `key` and commit; Stale if someone saved it in between (or
    it is gone). Entries are never added here: templates ask for them by key."""
    stored = session.get(Contact, key)
    if stored is None:
        raise Stale
    change = Change("contact changed", key, before=editable(stored), after=values)
    return ROWS.save(session, {"key": key}, expected_version, values, change=change, audit=audit)
