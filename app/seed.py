"""First data for an empty database. Staff edit all of it later; nothing here overwrites edits.

Numbers marked verified=True come from the police texts in the project's seed sources; the
others are widely published Dutch services to be checked before launch. Plain SQLAlchemy, like
the stores it fills: the caller (`flask seed`, the tests) passes the session.
"""

from __future__ import annotations

from sqlalchemy import select

from app.contact_seed import CONTACTS
from app.contacts import Contact
from app.hours.schedule_json import parse_schedule
from app.hours.seed import PLACEHOLDER_HOURS
from app.hours.store import load_schedule, save_schedule
from app.revision import Database


def seed_contacts(session: Database) -> int:
    """Insert the seed contacts the directory lacks; returns how many were added.

    Only missing keys are added, so a site seeded before a page needed a new contact (legal
    advice, Centrum Seksueel Geweld) gets it on the next `flask seed`, and an entry staff have
    edited is never touched. Staff cannot delete entries (app/staff/directory_views.py), so a
    missing key is never one they removed on purpose.
    """
    present = set(session.scalars(select(Contact.key)))
    added = [
        Contact(position=position, **row)
        for position, row in enumerate(CONTACTS)
        if row["key"] not in present
    ]
    session.add_all(added)
    session.commit()
    return len(added)


def seed_hours(session: Database) -> int:
    """Store the placeholder hours, flagged "to confirm", if no hours are stored yet."""
    if load_schedule(session) is not None:
        return 0
    save_schedule(
        session, parse_schedule(PLACEHOLDER_HOURS), expected_version=None, to_confirm=True
    )
    return 1


def seed_all(session: Database) -> dict[str, int]:
    """Seed every empty table; returns what was added per table."""
    return {"contacts": seed_contacts(session), "hours": seed_hours(session)}
