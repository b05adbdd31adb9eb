"""Staff-edited content as pages read it: through the worker cache, with a fallback each.

The domain stores (app/hours/store.py, app/contacts.py, app/notice/store.py) read and save
with the session they are given and know nothing of Flask; this module is the web side of
them. It reads through the worker's content cache (app/content_cache.py), which needs the
running app, and it decides what a page shows when the database fails: the seed contacts, no
notice, "call to check" for the hours (app/hours/display.py). A public page must never go down
because staff content cannot be read.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from app import clock
from app.contacts import ContactInfo, fallback_contacts, load_contacts
from app.content_cache import cached
from app.db import db
from app.hours.engine import Schedule
from app.hours.store import load_schedule
from app.i18n import current_language
from app.notice.store import NoticeInfo, load_notice

log = logging.getLogger(__name__)


def current_schedule() -> Schedule | None:
    """The schedule for showing status, from the worker's cache. Raises SQLAlchemyError when
    the database fails: the caller says "call to check"."""
    loaded = cached("hours", lambda: load_schedule(db.session))
    return loaded[0] if loaded else None


def all_contacts() -> dict[str, ContactInfo]:
    try:
        contacts: dict[str, ContactInfo] = cached("contacts", lambda: load_contacts(db.session))
    except SQLAlchemyError:
        db.session.rollback()
        log.error("contact directory unavailable; showing the seed contacts")
        return fallback_contacts()
    return contacts


def contact(key: str) -> ContactInfo:
    """The contact `key` in the page's language; an empty one if staff removed it, so a page
    still renders."""
    found = all_contacts().get(key) or ContactInfo(key=key)
    return replace(found, lang=current_language())


def public_notice() -> Markup | None:
    """The active notice in the page's language, for `templates/partials/notice.html`.

    A database problem must never take a public page down: then there is simply no notice.
    """
    try:
        notice: NoticeInfo = cached("notice", lambda: load_notice(db.session))
    except SQLAlchemyError:
        db.session.rollback()
        log.error("notice unavailable; pages show none")
        return None
    if not notice.is_active(clock.now()):
        return None
    html = notice.html(current_language())
    # Markup is safe here: `load_notice` ran the text through `sanitize`.
    return Markup(html) if html else None  # noqa: S704
