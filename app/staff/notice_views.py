"""The notice editor: a short message on every public page, in both languages, for a while.

Staff type plain text (blank line: new paragraph; https addresses become links); the stored
form is the sanitized HTML (app/notice/), turned back into plain text for editing.
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from zoneinfo import ZoneInfo

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import DateTimeLocalField, HiddenField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from app import clock
from app.db import db
from app.notice.store import MAX_NOTICE_LENGTH, NoticeInfo, load_notice, save_notice
from app.notice.text import html_to_text, text_to_html
from app.staff.audit import record_change
from app.staff.blueprint import MENU, bp
from app.staff.forms import parse_version
from app.versioned import Stale

FIRST_YEAR, LAST_YEAR = 2000, 2199
FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


def local_zone() -> tzinfo:
    """Staff type times in the helpline's own time zone."""
    return ZoneInfo(current_app.config["HOURS_TIMEZONE"])


def _sensible_year(form: FlaskForm, field: DateTimeLocalField) -> None:
    if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(
            _("Give a date between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
        )


class NoticeForm(FlaskForm):
    text_nl = TextAreaField(_l("Notice in Dutch"), validators=[Length(max=MAX_NOTICE_LENGTH)])
    text_en = TextAreaField(_l("Notice in English"), validators=[Length(max=MAX_NOTICE_LENGTH)])
    starts_at = DateTimeLocalField(
        _l("Show from (optional)"),
        format=FORMATS,
        tz=local_zone,
        validators=[Optional(), _sensible_year],
    )
    ends_at = DateTimeLocalField(
        _l("Show until (optional)"),
        format=FORMATS,
        tz=local_zone,
        validators=[Optional(), _sensible_year],
    )
    version = HiddenField()

    def validate(self, extra_validators: object = None) -> bool:
        """Field checks, then the ones that compare fields."""
        valid: bool = super().validate(extra_validators)
        dutch, english = (self.text_nl.data or "").strip(), (self.text_en.data or "").strip()
        if dutch and not english:
            self.text_en.errors.append(_("Write the notice in English too."))
        if english and not dutch:
            self.text_nl.errors.append(_("Write the notice in Dutch too."))
        start, end = self.starts_at.data, self.ends_at.data
        if end is not None and start is not None and end <= start:
            self.ends_at.errors.append(_("The end must be after the start."))
        elif end is not None and end <= clock.now():
            self.ends_at.errors.append(_("This moment has passed: visitors would never see it."))
        return valid and not (self.text_nl.errors or self.text_en.errors or self.ends_at.errors)

    def as_notice(self) -> NoticeInfo:
        return NoticeInfo(
            html_nl=text_to_html(self.text_nl.data or ""),
            html_en=text_to_html(self.text_en.data or ""),
            starts_at=self.starts_at.data.astimezone(UTC) if self.starts_at.data else None,
            ends_at=self.ends_at.data.astimezone(UTC) if self.ends_at.data else None,
        )


def _form_for(notice: NoticeInfo) -> NoticeForm:
    return NoticeForm(
        formdata=None,
        text_nl=html_to_text(notice.html_nl),
        text_en=html_to_text(notice.html_en),
        starts_at=notice.starts_at,
        ends_at=notice.ends_at,
        version=str(notice.version),
    )


@bp.route("/notice", methods=["GET", "POST"])
def notice() -> str | Response | tuple[str, int]:
    """Write, schedule or remove the notice; the page shows how visitors see it."""
    stored = load_notice(db.session)
    if request.method == "GET":
        return _page(_form_for(stored), stored)
    form = NoticeForm()
    removing = request.form.get("action") == "remove"
    if removing:  # the CSRF token was checked before any view ran
        wanted = NoticeInfo()
    elif form.validate():
        wanted = form.as_notice()
    else:
        return _page(form, stored)
    try:
        save_notice(db.session, wanted, parse_version(form.version.data), audit=record_change)
    except Stale:
        current = load_notice(db.session)
        return _page(_form_for(current), current, yours=wanted), 409
    flash(_("The notice is removed.") if removing else _("The notice is saved."))
    return redirect(url_for("staff.notice"))


def _page(form: NoticeForm, stored: NoticeInfo, yours: NoticeInfo | None = None) -> str:
    return render_template(
        "staff/notice.html", form=form, stored=stored, state=_state(stored), yours=yours
    )


def _state(notice: NoticeInfo) -> str:
    """Whether visitors see the stored notice right now, in words."""
    if not (notice.html_nl or notice.html_en):
        return _("There is no notice.")
    moment = clock.now()
    if notice.is_active(moment):
        return _("Visitors see this notice now.")
    if notice.starts_at is not None and moment < notice.starts_at:
        return _("Visitors will see this notice from its start time.")
    return _("The end time has passed: visitors no longer see this notice.")


bp.add_app_template_filter(html_to_text, "notice_text")
MENU.append(("staff.notice", _l("Notice")))
