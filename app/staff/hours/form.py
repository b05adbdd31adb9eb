"""The opening-hours editor's forms (the editor's, the upload's), and the editor's translation
to and from the JSON document.

The form is a plain-text view of the export document (app/hours/schedule_json.py): per channel
one field per weekday ("09:00-12:00, 13:00-17:00") and the holiday policy, then one row per date
exception. `Submission` turns the form into that document, so the editor, the upload and the
CLI share one validator (`parse_schedule`), and puts each `FieldError` back on the field it is
about, in the staff member's language (app/staff/hours/messages.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from markupsafe import Markup
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import Length
from wtforms.widgets import TextInput

from app.hours.errors import Code, FieldError
from app.hours.exceptions_json import MAX_EXCEPTIONS, MAX_NOTE_LENGTH
from app.hours.model import Schedule
from app.hours.schedule_json import WEEKDAYS
from app.staff.hours.messages import explain

ALL_CHANNELS = "all"
BLANK_ROWS = 2
MAX_HOURS_TEXT = 200
DAY_NAMES = {
    "mon": _l("Monday"),
    "tue": _l("Tuesday"),
    "wed": _l("Wednesday"),
    "thu": _l("Thursday"),
    "fri": _l("Friday"),
    "sat": _l("Saturday"),
    "sun": _l("Sunday"),
}
CHANNEL_NAMES = {"phone": _l("Phone"), "chat": _l("Chat")}

_SEPARATORS = re.compile(r"[,;\s]+")
_DASH = re.compile(r"\s*[-–—]\s*")
_SHORT_HOUR = re.compile(r"(?<![0-9])([0-9])[:.]([0-9]{2})")
_DOT_TIME = re.compile(r"([0-9]{2})\.([0-9]{2})")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WEEKLY_PATH = re.compile(r"(channels\.\w+\.weekly\.\w+)(?:\[([0-9]+)\])?")
_EXCEPTION_PATH = re.compile(
    r"((?:channels\.\w+\.)?exceptions\[[0-9]+\])(?:\.(\w+))?(?:\[([0-9]+)\])?"
)


def channel_label(name: str) -> str:
    return str(CHANNEL_NAMES.get(name, name))


def field_name(channel: str) -> str:
    return f"channel_{channel}"


def split_intervals(text: str | None) -> list[str]:
    """The intervals in a field, forgiving about how people write times.

    `9:00 - 12:00, 13.00-17.00` gives `["09:00-12:00", "13:00-17:00"]`; whether the result is
    valid is for `parse_schedule` to say.
    """
    text = _DASH.sub("-", (text or "").strip())
    text = _DOT_TIME.sub(r"\1:\2", _SHORT_HOUR.sub(r"0\1:\2", text))
    return [part for part in _SEPARATORS.split(text) if part]


class ChannelForm(Form):
    mon = StringField(DAY_NAMES["mon"], validators=[Length(max=MAX_HOURS_TEXT)])
    tue = StringField(DAY_NAMES["tue"], validators=[Length(max=MAX_HOURS_TEXT)])
    wed = StringField(DAY_NAMES["wed"], validators=[Length(max=MAX_HOURS_TEXT)])
    thu = StringField(DAY_NAMES["thu"], validators=[Length(max=MAX_HOURS_TEXT)])
    fri = StringField(DAY_NAMES["fri"], validators=[Length(max=MAX_HOURS_TEXT)])
    sat = StringField(DAY_NAMES["sat"], validators=[Length(max=MAX_HOURS_TEXT)])
    sun = StringField(DAY_NAMES["sun"], validators=[Length(max=MAX_HOURS_TEXT)])
    holidays = SelectField(
        _l("On public holidays"),
        choices=[
            SelectChoice("closed", _l("Closed")),
            SelectChoice("normal", _l("The normal weekly hours")),
        ],
    )


class DateOrTextInput(TextInput):
    """A date picker, except for a value that is not a date: that is shown as typed (in a text
    box) so it can be corrected, and the page stays valid HTML."""

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        value = (field._value() or "").strip()
        kwargs.setdefault("type", "date" if not value or _is_date(value) else "text")
        return super().__call__(field, **kwargs)


def _is_date(text: str) -> bool:
    try:
        return bool(_ISO_DATE.fullmatch(text)) and bool(dt.date.fromisoformat(text))
    except ValueError:
        return False


class ExceptionRow(Form):
    first = StringField(_l("Date, or first date"), widget=DateOrTextInput())
    last = StringField(_l("Last date (for a period)"), widget=DateOrTextInput())
    closed = BooleanField(_l("Closed"))
    hours = StringField(_l("Or open at"), validators=[Length(max=MAX_HOURS_TEXT)])
    note = StringField(_l("Note for Dutch pages"), validators=[Length(max=MAX_NOTE_LENGTH)])
    note_en = StringField(_l("Note for English pages"), validators=[Length(max=MAX_NOTE_LENGTH)])
    remove = BooleanField(_l("Remove this date"))

    def is_blank(self) -> bool:
        texts = (self.first.data, self.last.data, self.hours.data)
        notes = (self.note.data, self.note_en.data)
        return not self.closed.data and not any((text or "").strip() for text in texts + notes)


class HoursForm(FlaskForm):
    """Channels and the exception rows are added per schedule by `hours_form_class`."""

    version = HiddenField()
    preview_at = StringField(_l("Preview at"), render_kw={"type": "datetime-local"})


class ImportForm(FlaskForm):
    """The upload of a whole hours file; `version` is the one the page was opened on."""

    file = FileField(
        _l("Opening hours file (JSON)"), validators=[FileRequired(_l("Choose a file."))]
    )
    version = HiddenField()


def hours_form_class(channels: Sequence[str]) -> type[HoursForm]:
    choices = [
        SelectChoice(ALL_CHANNELS, _l("All channels")),
        *(SelectChoice(name, channel_label(name)) for name in channels),
    ]
    row = type("Row", (ExceptionRow,), {"channel": SelectField(_l("For"), choices=choices)})
    fields: dict[str, Any] = {
        field_name(name): FormField(ChannelForm, label=channel_label(name)) for name in channels
    }
    fields["exceptions"] = FieldList(FormField(row), max_entries=MAX_EXCEPTIONS * len(channels))
    return type("HoursForm", (HoursForm,), fields)


def form_data(document: Mapping[str, Any], version: int | None) -> dict[str, Any]:
    """What the form shows for a stored (or submitted) document."""
    channels: Mapping[str, Any] = document["channels"]
    data: dict[str, Any] = {"version": "" if version is None else str(version)}
    for name, channel in channels.items():
        weekly = {day: ", ".join(channel["weekly"].get(day, [])) for day in WEEKDAYS}
        data[field_name(name)] = {**weekly, "holidays": channel["holidays"]}
    data["exceptions"] = [*_exception_rows(channels), *({} for _ in range(BLANK_ROWS))]
    return data


def _exception_rows(channels: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per exception; one that every channel has the same is one "all channels" row."""
    rows: list[dict[str, Any]] = []
    shared: list[object] = []
    for name, channel in channels.items():
        for exception in channel.get("exceptions", []):
            everywhere = len(channels) > 1 and all(
                exception in other.get("exceptions", []) for other in channels.values()
            )
            if everywhere and exception in shared:
                continue
            if everywhere:
                shared.append(exception)
            rows.append(_row(ALL_CHANNELS if everywhere else name, exception))
    return sorted(rows, key=lambda row: (row["first"], row["last"]))


def _row(channel: str, exception: Mapping[str, Any]) -> dict[str, Any]:
    first = exception.get("date") or exception.get("from", "")
    return {
        "channel": channel,
        "first": first,
        "last": exception.get("to", ""),
        "closed": bool(exception.get("closed")),
        "hours": ", ".join(exception.get("hours", [])),
        "note": exception.get("note", ""),
        "note_en": exception.get("note_en", ""),
    }


def _exception(row: ExceptionRow) -> dict[str, Any]:
    first, last = (row.first.data or "").strip(), (row.last.data or "").strip()
    item: dict[str, Any] = {}
    if first and last in ("", first):
        item["date"] = first
    else:
        item.update({key: value for key, value in (("from", first), ("to", last)) if value})
    if row.closed.data:
        item["closed"] = True
    hours = split_intervals(row.hours.data)
    if hours:
        item["hours"] = hours
    item["note"] = (row.note.data or "").strip()
    item["note_en"] = (row.note_en.data or "").strip()
    return item


class Submission:
    """A validated form as the JSON document, and the way back from a path to its field."""

    def __init__(self, form: HoursForm, timezone: str, channels: Sequence[str]) -> None:
        self.fields: dict[str, Field] = {}
        self.typed: dict[str, list[str]] = {}
        self.rows: dict[str, ExceptionRow] = {}
        self.problems: list[str] = []
        shared: list[dict[str, Any]] = []
        documents: dict[str, Any] = {}
        for name in channels:
            documents[name] = self._channel(name, form[field_name(name)])
        for entry in form["exceptions"]:
            row: ExceptionRow = entry.form
            if row.remove.data or row.is_blank():
                continue
            channel = row["channel"].data
            listing = shared if channel == ALL_CHANNELS else documents[channel]["exceptions"]
            base = "exceptions" if channel == ALL_CHANNELS else f"channels.{channel}.exceptions"
            path = f"{base}[{len(listing)}]"
            listing.append(_exception(row))
            self.rows[path] = row
            self.typed[f"{path}.hours"] = split_intervals(row.hours.data)
        self.document = {"timezone": timezone, "exceptions": shared, "channels": documents}

    def _channel(self, name: str, subform: FormField) -> dict[str, Any]:
        weekly = {}
        for day in WEEKDAYS:
            path = f"channels.{name}.weekly.{day}"
            weekly[day] = self.typed[path] = split_intervals(subform[day].data)
            self.fields[path] = subform[day]
        self.fields[f"channels.{name}.holidays"] = subform["holidays"]
        return {"weekly": weekly, "holidays": subform["holidays"].data, "exceptions": []}

    def attach(self, errors: Sequence[FieldError]) -> None:
        """Put each error on its field, once; what belongs to no field goes to `problems`.

        The validator reports each interval on its own ("9 tot 17 uur" is four bad intervals
        to it). A field that has the same problem several times gets it once, naming what was
        typed in the field as a whole: four copies of one sentence read as four problems.
        """
        placed: dict[tuple[int, str], list[str | None]] = {}
        fields: dict[int, tuple[Field, str]] = {}
        for error in errors:
            message = explain(error, self.describe_row)
            weekly = _WEEKLY_PATH.fullmatch(error.path)
            exception = _EXCEPTION_PATH.fullmatch(error.path)
            if weekly and weekly.group(1) in self.fields:
                typed_path, index = weekly.group(1), weekly.group(2)
                field = self.fields[typed_path]
            elif exception and exception.group(1) in self.rows:
                row_path, key, index = exception.groups()
                field = self._row_field(self.rows[row_path], key, error.code)
                typed_path = f"{row_path}.hours"
            elif error.path in self.fields:
                field, typed_path, index = self.fields[error.path], error.path, None
            else:
                self.problems.append(f"{error.path}: {message}" if error.path else message)
                continue
            fields[id(field)] = (field, typed_path)
            placed.setdefault((id(field), message), []).append(index)
        for (field_id, message), indices in placed.items():
            field, typed_path = fields[field_id]
            field.errors.append(self._located(field, message, typed_path, indices))

    def _located(
        self, field: Field, message: str, typed_path: str, indices: list[str | None]
    ) -> str:
        """`message` prefixed with the interval it is about, or with the whole field's text
        when it is about several of its intervals."""
        typed = self.typed.get(typed_path, [])
        known = [int(i) for i in indices if i is not None and int(i) < len(typed)]
        if len(indices) > 1 and known:
            return _("%(hours)s: %(problem)s", hours=(field.data or "").strip(), problem=message)
        if known:
            return _("%(hours)s: %(problem)s", hours=typed[known[0]], problem=message)
        return message

    @staticmethod
    def _row_field(row: ExceptionRow, key: str | None, code: Code) -> Field:
        if key in ("date", "from") or (key is None and code is Code.OVERLAPS_EXCEPTION):
            return row.first
        fields = {"to": row.last, "closed": row.closed, "note": row.note, "note_en": row.note_en}
        return fields.get(key or "", row.hours)

    def describe_row(self, path: str) -> str | None:
        """The dates and channel of the exception at `path`, as staff typed them."""
        row = self.rows.get(path)
        if row is None:
            return None
        dates = " – ".join(d for d in ((row.first.data or ""), (row.last.data or "")) if d)
        channel = row["channel"].data
        who = _("all channels") if channel == ALL_CHANNELS else channel_label(channel)
        return f"{dates} ({who})"

    def refuse_past(self, schedule: Schedule, stored: Schedule | None, today: dt.date) -> bool:
        """Refuse new exceptions that end before today; ones already stored may stay."""
        refused = False
        for path, row in self.rows.items():
            channel = path.split(".")[1] if path.startswith("channels.") else None
            name = channel or next(iter(schedule.channels))
            first = dt.date.fromisoformat((row.first.data or "").strip())  # parsed already
            exception = next(e for e in schedule.channels[name].exceptions if e.first == first)
            old = stored.channels.get(name) if stored else None
            if exception.last < today and (old is None or exception not in old.exceptions):
                field = row.last if (row.last.data or "").strip() else row.first
                field.errors.append(_("This date has passed. New dates must be today or later."))
                refused = True
        return refused
