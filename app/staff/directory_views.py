"""The contact directory editor: the organisations, numbers and addresses public pages show.

Staff change existing entries; they do not add or delete them. Templates ask for contacts by
key (`contact("emergency")`), so a new entry would show nowhere and a deleted one would leave
a page without its number. For the same reason a number or address that an entry has can be
corrected but not emptied.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import BooleanField, Field, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from app.contacts import EDITABLE, Contact, editable, save_contact
from app.db import db
from app.staff.audit import record_change
from app.staff.blueprint import MENU, bp
from app.staff.forms import parse_version
from app.versioned import Stale

PHONE = re.compile(r"\+?[0-9](?:[0-9 \-]|\(0\))*")
PHONE_DIGITS = (3, 20)
HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
TOP_LEVEL = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")
MAX_ADDRESS = 300
MAX_DESCRIPTION = 1000


def phone_number(form: FlaskForm, field: Field) -> None:
    """Digits, spaces, +, - and (0) only, with 3 to 20 digits: anything else is a typo."""
    text = (field.data or "").strip()
    if not text:
        return
    if not PHONE.fullmatch(text):
        raise ValidationError(
            _("Use only digits, spaces, +, - and (0), like 0800 266 64 36 or +31 (0)6 428 346 35.")
        )
    digits = sum(char.isdigit() for char in text.replace("(0)", ""))
    if not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        raise ValidationError(_("A phone number has 3 to 20 digits."))


def _is_real_host(host: str) -> bool:
    labels = host.split(".")
    return (
        len(labels) >= 2  # noqa: PLR2004 (a name and a top-level domain at least)
        and all(HOST_LABEL.fullmatch(label) for label in labels)
        and bool(TOP_LEVEL.fullmatch(labels[-1]))
    )


def https_address(form: FlaskForm, field: Field) -> None:
    """A full https address with a real host name; no user names, spaces or other schemes."""
    text = (field.data or "").strip()
    if not text:
        return
    parts = urlsplit(text)
    if parts.scheme.lower() != "https":
        raise ValidationError(_("Use an address that starts with https://"))
    try:
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        raise ValidationError(_("This address has an invalid port.")) from None
    host = parts.hostname or ""
    if parts.username or any(char.isspace() for char in text) or not _is_real_host(host):
        raise ValidationError(
            _("Give a full address with a real host, like https://www.example.nl/")
        )


class ContactForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Give a name.")), Length(max=120)])
    name_en = StringField(
        _l("Name in English"),
        validators=[Length(max=120)],
        render_kw={"lang": "en"},
    )
    phone = StringField(_l("Phone number"), validators=[Length(max=40), phone_number])
    url = StringField(_l("Website"), validators=[Length(max=MAX_ADDRESS), https_address])
    chat_url = StringField(_l("Chat address"), validators=[Length(max=MAX_ADDRESS), https_address])
    description_nl = TextAreaField(
        _l("Description in Dutch"), validators=[Length(max=MAX_DESCRIPTION)]
    )
    description_en = TextAreaField(
        _l("Description in English"),
        validators=[Length(max=MAX_DESCRIPTION)],
        render_kw={"lang": "en"},
    )
    verified = BooleanField(_l("Checked before launch"))
    version = HiddenField()

    def keeps_what_pages_show(self, stored: Contact) -> bool:
        """A number or address the entry has may be corrected, not emptied (pages use it)."""
        kept = True
        for name in ("phone", "url", "chat_url"):
            field = self[name]
            if getattr(stored, name) and not (field.data or "").strip():
                field.errors.append(_("Public pages show this; correct it instead of emptying it."))
                kept = False
        return kept

    def values(self) -> dict[str, Any]:
        text = {name: (self[name].data or "").strip() for name in EDITABLE if name != "verified"}
        for name in ("phone", "url", "chat_url"):
            text[name] = text[name] or None
        return {**text, "verified": bool(self.verified.data)}


def _stored(key: str) -> Contact:
    contact = db.session.get(Contact, key)
    if contact is None:
        abort(404)
    return contact


def _form_for(contact: Contact) -> ContactForm:
    return ContactForm(formdata=None, version=str(contact.version), **editable(contact))


def _save(key: str, expected_version: str | None, values: dict[str, Any]) -> bool:
    """The versioned save (app/versioned.py): False if someone saved in between."""
    try:
        save_contact(db.session, key, parse_version(expected_version), values, audit=record_change)
    except Stale:
        return False
    return True


def _page(form: ContactForm, contact: Contact, yours: ContactForm | None = None) -> str:
    return render_template("staff/directory_edit.html", form=form, contact=contact, yours=yours)


@bp.get("/directory")
def directory() -> str:
    """Every contact the public pages show, with what still needs checking."""
    contacts = db.session.scalars(select(Contact).order_by(Contact.position, Contact.key)).all()
    return render_template("staff/directory.html", contacts=contacts)


@bp.route("/directory/<key>", methods=["GET", "POST"])
def directory_edit(key: str) -> str | Response | tuple[str, int]:
    """Correct one contact; malformed numbers and addresses are refused with a reason."""
    contact = _stored(key)
    form = ContactForm()
    if not form.is_submitted():
        return _page(_form_for(contact), contact)
    valid = form.validate()
    if not (form.keeps_what_pages_show(contact) and valid):
        return _page(form, contact)
    if not _save(key, form.version.data, form.values()):
        db.session.expire_all()
        current = _stored(key)
        return _page(_form_for(current), current, yours=form), 409
    flash(_("%(name)s is saved. Public pages show the change.", name=form.values()["name"]))
    return redirect(url_for("staff.directory"))


MENU.append(("staff.directory", _l("Contact directory")))
