"""The opening-hours editor (with a preview before saving), and the JSON file's download and
upload. Every save names the version it started from (`save_schedule` raises Stale), goes into
the audit trail in the same transaction (app/versioned.py), and clears the "to confirm" flag."""

from __future__ import annotations

import json
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from app import clock
from app.db import db
from app.hours.errors import ScheduleError
from app.hours.exceptions_json import MAX_EXCEPTIONS
from app.hours.model import Schedule
from app.hours.schedule_json import MAX_CHANNELS, WEEKDAYS, dump_schedule, parse_schedule
from app.hours.store import is_to_confirm, load_schedule, save_schedule
from app.privacy import larger_body
from app.staff.audit import record_change
from app.staff.blueprint import MENU, bp
from app.staff.forms import parse_version
from app.staff.hours.form import (
    HoursForm,
    ImportForm,
    Submission,
    channel_label,
    field_name,
    form_data,
    hours_form_class,
)
from app.staff.hours.messages import explain
from app.staff.hours.preview import clock_change_warnings, preview, preview_moment
from app.versioned import Stale

MORE_ROWS = 3
MAX_UPLOAD_BYTES = 1_000_000


def _stored() -> tuple[Schedule | None, int | None]:
    loaded = load_schedule(db.session)
    return loaded if loaded else (None, None)


def _document(schedule: Schedule | None) -> dict[str, Any]:
    """The stored hours as the JSON document; phone and chat closed if nothing is stored."""
    if schedule is not None:
        return dump_schedule(schedule)
    closed = {"weekly": {}, "holidays": "closed", "exceptions": []}
    timezone = current_app.config["HOURS_TIMEZONE"]
    return {"timezone": timezone, "channels": {"phone": closed, "chat": closed}}


def _page(
    form: HoursForm, channels: list[str], status: int = 200, **context: Any
) -> tuple[str, int]:
    defaults: dict[str, Any] = {
        "problems": [],
        "warnings": [],
        "preview": None,
        "yours": None,
        "invalid": False,
    }
    context = {**defaults, **context}
    page = render_template(
        "staff/hours.html",
        form=form,
        channels=[(channel_label(name), form[field_name(name)]) for name in channels],
        weekdays=WEEKDAYS,
        to_confirm=is_to_confirm(db.session),
        **context,
    )
    return page, status


def _save(schedule: Schedule, stored: Schedule | None, version: str | None) -> bool:
    """Save with the audit entry in the same transaction; False if someone saved in between."""
    expected = parse_version(version) if stored else 0
    try:
        save_schedule(db.session, schedule, expected, audit=record_change)
    except Stale:
        return False
    return True


class Invalid(Exception):
    """The submitted hours cannot be saved; the form carries the errors."""

    def __init__(self, problems: list[str] | None = None) -> None:
        super().__init__("invalid hours")
        self.problems = problems or []


def _validated(
    form: HoursForm, channels: list[str], timezone: str, stored: Schedule | None
) -> Schedule:
    """The schedule the form describes, checked as the import checks a file, and refusing new
    dates in the past; raises Invalid."""
    if not form.validate():
        raise Invalid
    submission = Submission(form, timezone, channels)
    try:
        schedule = parse_schedule(submission.document)
    except ScheduleError as error:
        submission.attach(error.errors)
        raise Invalid(submission.problems) from None
    if submission.refuse_past(schedule, stored, clock.local_today(schedule.timezone)):
        raise Invalid
    return schedule


@bp.route("/hours", methods=["GET", "POST"])
# The largest schedule allowed: every channel with all its exception rows (7 fields each).
@larger_body(2 * 1024 * 1024, max_parts=MAX_CHANNELS * (8 * MAX_EXCEPTIONS + 20))
def hours() -> ResponseReturnValue:
    """Weekly hours, holiday policy and date exceptions per channel; preview, then save."""
    stored, version = _stored()
    document = _document(stored)
    channels = list(document["channels"])
    form_class = hours_form_class(channels)
    if request.method == "GET":
        return _page(form_class(formdata=None, data=form_data(document, version)), channels)
    form = form_class()
    action = request.form.get("action", "save")
    if action == "more":
        room = form.exceptions.max_entries - len(form.exceptions.entries)
        for _row in range(min(MORE_ROWS, room)):
            form.exceptions.append_entry()
        return _page(form, channels)
    try:
        schedule = _validated(form, channels, document["timezone"], stored)
    except Invalid as invalid:
        return _page(form, channels, invalid=True, problems=invalid.problems)
    warnings = clock_change_warnings(schedule, clock.local_today(schedule.timezone))
    if action == "preview":
        return _preview(form, channels, schedule, warnings)
    if not _save(schedule, stored, form.version.data):
        return _conflict(dump_schedule(schedule))
    flash(_("The opening hours are saved. Visitors see them now."))
    for warning in warnings:
        flash(warning)
    return redirect(url_for("staff.hours"))


def _preview(
    form: HoursForm, channels: list[str], schedule: Schedule, warnings: list[str]
) -> tuple[str, int]:
    try:
        at = preview_moment(form.preview_at.data, schedule.timezone, clock.now())
    except ValueError:
        form.preview_at.errors.append(_("Give a date and time, like 24-12-2026 18:00."))
        return _page(form, channels, warnings=warnings, invalid=True)
    return _page(form, channels, warnings=warnings, preview=preview(schedule, at))


def _conflict(yours: dict[str, Any]) -> tuple[str, int]:
    """Someone saved first: show their hours in the form, and what this person tried to save."""
    db.session.expire_all()
    stored, version = _stored()
    document = _document(stored)
    channels = list(document["channels"])
    form = hours_form_class(channels)(formdata=None, data=form_data(document, version))
    mine = json.dumps(yours, ensure_ascii=False, indent=2)
    return _page(form, channels, status=409, yours=mine)


@bp.get("/hours/export")
def hours_export() -> Response:
    """Download all opening hours as the JSON file that the import (and the CLI) reads."""
    stored, _version_number = _stored()
    if stored is None:
        flash(_("There are no opening hours to download yet."))
        return redirect(url_for("staff.hours"))
    body = json.dumps(dump_schedule(stored), ensure_ascii=False, indent=2) + "\n"
    response = Response(body, mimetype="application/json")
    name = f"opening-hours-{clock.now().date().isoformat()}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class UploadProblems(Exception):
    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def read_upload(upload: FileStorage) -> Schedule:
    """The schedule in an uploaded file; UploadProblems lists every problem with its path."""
    raw = upload.stream.read(MAX_UPLOAD_BYTES + 1)
    if len(raw) > MAX_UPLOAD_BYTES:
        raise UploadProblems([("", _("The file is larger than 1 MB. Is it the right file?"))])
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested beyond reason
        raise UploadProblems([("", _("This is not a JSON file."))]) from None
    try:
        return parse_schedule(data)
    except ScheduleError as error:
        raise UploadProblems([(p.path, explain(p)) for p in error.errors]) from None


@bp.route("/hours/import", methods=["GET", "POST"])
# Room for a file somewhat over MAX_UPLOAD_BYTES, which gets read_upload's clear message.
@larger_body(2 * MAX_UPLOAD_BYTES, max_parts=10)
def hours_import() -> ResponseReturnValue:
    """Replace all hours with a file; everything is checked first and nothing changes on any
    problem (the same rules as `flask hours import`)."""
    stored, version = _stored()
    form = ImportForm()
    problems: list[tuple[str, str]] = []
    if not form.is_submitted():
        form.version.data = str(version or "")
    elif form.validate():
        try:
            schedule = read_upload(form.file.data)
        except UploadProblems as error:
            problems = error.problems
        else:
            if _save(schedule, stored, form.version.data):
                flash(_("The file is imported. Visitors see these hours now."))
                return redirect(url_for("staff.hours"))
            stale = _(
                "Someone else saved the opening hours after you opened this page. Nothing was "
                "imported. Check the hours, then import again."
            )
            problems = [("", stale)]
            form.version.data = str(_stored()[1] or "")
    return render_template("staff/hours_import.html", form=form, problems=problems)


MENU.append(("staff.hours", _l("Opening hours")))
