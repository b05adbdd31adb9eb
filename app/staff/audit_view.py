"""The audit trail as staff read it: what changed, in words, in their language and time zone.

`app/staff/audit_changes.py` finds the differences; this module only puts them into words
("Telefoon, maandag: 09:00-17:00 → 10:00-17:00"). Actions are stored as fixed English codes
("hours changed") so the trail stays one language in the database; they are translated here.
An action this page does not know (a new one elsewhere) is shown as stored, never hidden.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import clock
from app.notice.text import html_to_text
from app.staff.audit import AuditEntry
from app.staff.audit_changes import WEEKDAYS, Change, DateHours, Value, changes
from app.staff.hours.form import channel_label

# Weekday names inside a sentence come from the locale: lower case in Dutch ("maandag").
A_MONDAY = dt.date(2024, 1, 1)
NOTHING = "—"
ACTIONS = {
    "hours changed": _l("Opening hours changed"),
    "contact changed": _l("Contact changed"),
    "notice changed": _l("Notice changed"),
    "user added": _l("Account added"),
    "user disabled": _l("Account disabled"),
    "user enabled": _l("Account enabled"),
    "password and 2FA reset": _l("Password and 2FA reset"),
    "shift lead changed": _l("Shift lead role changed"),
    "password changed": _l("Password changed"),
    "reply.add": _l("Ready-made reply added"),
    "reply.delete": _l("Ready-made reply deleted"),
    "message answered": _l("Message answered"),
    "message take": _l("Message taken to answer"),
    "message release": _l("Message left for a colleague"),
    "message close": _l("Message closed"),
    "message deleted": _l("Message deleted"),
    "message answer time changed": _l("Answer time for messages changed"),
}
# Targets that only repeat the action.
_SELF_EVIDENT = frozenset({"hours", "notice"})
FIELDS = {
    "name": _l("Name"),
    "phone": _l("Phone number"),
    "url": _l("Website"),
    "chat_url": _l("Chat address"),
    "description_nl": _l("Description in Dutch"),
    "description_en": _l("Description in English"),
    "verified": _l("Checked before launch"),
    "html_nl": _l("Notice in Dutch"),
    "html_en": _l("Notice in English"),
    "starts_at": _l("Shown from"),
    "ends_at": _l("Shown until"),
    "admin": _l("Administrator"),
    "shift_lead": _l("Shift lead"),
}
HOLIDAY_POLICIES = {"closed": _l("Closed"), "normal": _l("The normal weekly hours")}


@dataclass(frozen=True)
class AuditRow:
    at: str
    actor: str
    action: str
    target: str
    lines: list[str]


def audit_rows(entries: Iterable[AuditEntry]) -> list[AuditRow]:
    """Each entry with its time in the helpline's zone (Babel's default zone, the one staff
    live in) and its changes as sentences."""
    return [
        AuditRow(
            at=format_datetime(clock.aware(entry.at), "d MMM yyyy HH:mm"),
            actor=entry.actor,
            action=str(ACTIONS.get(entry.action, entry.action)),
            target="" if entry.target in _SELF_EVIDENT else entry.target,
            lines=[change_line(change) for change in changes(entry.before, entry.after)],
        )
        for entry in entries
    ]


def change_line(change: Change) -> str:
    """One change as a sentence: "<what>: <before> → <after>"."""
    before, after = _value(change, change.before), _value(change, change.after)
    return _("%(what)s: %(before)s → %(after)s", what=_subject(change), before=before, after=after)


def _subject(change: Change) -> str:
    if change.kind == "timezone":
        return _("Time zone")
    if change.kind == "field":
        return str(FIELDS.get(change.key, change.key)) if change.key else _("Value")
    channel = channel_label(change.channel or "")
    if change.kind == "weekly":
        day = A_MONDAY + dt.timedelta(days=WEEKDAYS.index(change.key))
        what = format_date(day, "EEEE")
    elif change.kind == "holidays":
        what = _("on public holidays")
    else:
        what = " – ".join(
            format_date(dt.date.fromisoformat(part), "EEEE d MMMM yyyy")
            for part in change.key.split("/")
        )
    return f"{channel}, {what}"


def _value(change: Change, value: Value) -> str:  # noqa: PLR0911 - one return per kind of value
    if value is None:
        return NOTHING
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return format_datetime(value, "d MMMM yyyy HH:mm")
    if isinstance(value, DateHours):
        return _date_hours(value)
    if isinstance(value, tuple):
        return ", ".join(value) if value else _("closed")
    if change.kind == "holidays":
        return str(HOLIDAY_POLICIES.get(value, value))
    if change.key.startswith("html_"):
        return html_to_text(value) or NOTHING
    return value


def _date_hours(value: DateHours) -> str:
    hours = ", ".join(value.hours) if value.hours else _("closed")
    notes = " / ".join(note for note in (value.note, value.note_en) if note)
    return f"{hours} ({notes})" if notes else hours
