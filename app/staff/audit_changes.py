"""What an audit entry changed, as a list of changes a person can read.

An entry keeps the value before and after as JSON text (app/staff/audit.py): the whole hours
document, a contact's fields, the notice. Showing those documents side by side made staff hunt
for the difference. `changes` finds it: one `Change` per weekday, holiday policy, date or field
that differs. It is pure (no Flask, no words): the audit page turns each change into a sentence
in the reader's language and time zone (app/staff/audit_view.py), so the same entry reads in
Dutch on a Dutch staff page and in English on an English one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

ChangeKind = Literal["weekly", "holidays", "date", "timezone", "field"]
#: Weekday keys of the hours document, in order.
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class DateHours:
    """A date exception's content: `hours` is None when closed."""

    hours: tuple[str, ...] | None
    note: str
    note_en: str


Value = str | bool | dt.datetime | tuple[str, ...] | DateHours | None


@dataclass(frozen=True)
class Change:
    """One difference. `channel` is set for hours changes; `key` is the weekday (``weekly``),
    the date or period as ``"2026-12-24"`` / ``"2026-12-24/2026-12-26"`` (``date``) or the
    field name (``field``). `before`/`after` are None when the thing did not exist (a date
    added or removed, a field new to the record)."""

    kind: ChangeKind
    key: str
    before: Value
    after: Value
    channel: str | None = None


def changes(before: str, after: str) -> list[Change]:
    """The differences between two stored audit values (JSON text, or empty).

    Values that are not JSON objects (older entries, plain text) compare as one field named
    ``""``, so nothing is ever hidden from the trail.
    """
    old, new = _load(before), _load(after)
    if old is None or new is None:
        if before == after:
            return []
        return [Change("field", "", before or None, after or None)]
    if _is_hours(old) or _is_hours(new):
        return _hours_changes(old, new)
    return _field_changes(old, new)


def _load(text: str) -> dict[str, Any] | None:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _is_hours(document: Mapping[str, Any]) -> bool:
    return isinstance(document.get("channels"), dict)


def _field_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    found = []
    for key in [*old, *(k for k in new if k not in old)]:
        before, after = _field(key, old.get(key)), _field(key, new.get(key))
        if before != after:
            found.append(Change("field", key, before, after))
    return found


def _field(key: str, value: object) -> Value:
    """A field's value as shown: instants (``starts_at``) parsed, so the page can put them in
    the reader's zone; empty text and missing are the same (nothing)."""
    if isinstance(value, bool):
        return value
    if value is None or value == "":
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if key.endswith("_at"):
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            return text
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return text


def _hours_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    found = []
    if old.get("timezone") != new.get("timezone"):
        found.append(Change("timezone", "", old.get("timezone"), new.get("timezone")))
    old_channels: Mapping[str, Any] = old.get("channels") or {}
    new_channels: Mapping[str, Any] = new.get("channels") or {}
    for name in [*old_channels, *(n for n in new_channels if n not in old_channels)]:
        found += _channel_changes(name, old_channels.get(name) or {}, new_channels.get(name) or {})
    return found


def _channel_changes(name: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    found = []
    old_week, new_week = old.get("weekly") or {}, new.get("weekly") or {}
    for day in WEEKDAYS:
        before, after = tuple(old_week.get(day, ())), tuple(new_week.get(day, ()))
        if before != after:
            found.append(Change("weekly", day, before, after, name))
    if old.get("holidays") != new.get("holidays"):
        found.append(Change("holidays", "", old.get("holidays"), new.get("holidays"), name))
    old_dates, new_dates = _dates(old), _dates(new)
    for key in sorted(old_dates.keys() | new_dates.keys()):
        if old_dates.get(key) != new_dates.get(key):
            found.append(Change("date", key, old_dates.get(key), new_dates.get(key), name))
    return found


def _dates(channel: Mapping[str, Any]) -> dict[str, DateHours]:
    """A channel's exceptions by date or period, with an old single ``note`` read as Dutch."""
    dates = {}
    for exception in channel.get("exceptions") or ():
        if "date" in exception:
            key = str(exception["date"])
        else:
            key = f"{exception.get('from')}/{exception.get('to')}"
        hours = None if exception.get("closed") else tuple(exception.get("hours") or ())
        note, note_en = exception.get("note") or "", exception.get("note_en") or ""
        dates[key] = DateHours(hours, str(note), str(note_en))
    return dates
