"""Opening hours for visitors and partner sites: the status API, its OpenAPI document, the
contact page's hours and JSON-LD, and the "remind me when it opens" calendar file."""

from __future__ import annotations

import datetime as dt
import json
from http import HTTPStatus
from typing import Any

from flask import abort, current_app, jsonify, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app import clock
from app.chat.availability import chat_open
from app.chat.web import chat_staffed
from app.content import contact
from app.hours.display import changed_days, page_language, schedule_or_none, week
from app.hours.engine import Language, channel_status, parse_instant, status_json
from app.hours.schedule_json import format_interval
from app.public.blueprint import bp
from app.public.routes import LANG, page_url

API_MAX_AGE = 30
SCHEMA_DAYS = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)


def _api(payload: dict[str, Any], status: int = 200) -> Response:
    """A JSON answer any partner site may read: no credentials, cached only briefly."""
    response = jsonify(payload)
    response.status_code = status
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["Cache-Control"] = (
        f"public, max-age={API_MAX_AGE}" if status == HTTPStatus.OK else "no-store"
    )
    return response


@bp.get("/api/status")
def api_status() -> Response:
    """Whether each channel is open now (or at `?at=`), and when it next closes or opens."""
    at = clock.now().replace(microsecond=0)
    asks_now = "at" not in request.args
    if not asks_now:
        try:
            at = parse_instant(request.args["at"])
        except ValueError:
            return _api(
                {
                    "error": "bad_instant",
                    "message": "'at' must be an ISO 8601 instant with an offset, "
                    "for example 2026-12-24T18:00:00+01:00",
                },
                400,
            )
    schedule = schedule_or_none()
    if schedule is None:
        return _api({"error": "unavailable", "message": "opening hours unavailable"}, 503)
    try:
        document = status_json(schedule, at)
    except ValueError:
        return _api({"error": "bad_instant", "message": "'at' is out of range"}, 400)
    chat = document["channels"].get("chat")  # type: ignore[attr-defined]
    if asks_now and chat is not None:
        chat["counsellor_available"] = chat_staffed()
        chat["open"] = chat_open(chat["open"], chat["counsellor_available"])
    return _api(document)


@bp.get("/api/openapi.json")
def api_openapi() -> Response:
    from app.public.openapi import OPENAPI

    return _api(OPENAPI)


@bp.get(f"/{LANG}/reminder/<channel>.ics")
def reminder(channel: str) -> Response:
    """A calendar event at the channel's next opening: neutral title, computed now, not stored."""
    schedule = schedule_or_none()
    if schedule is None or channel not in schedule.channels:
        abort(404)
    status = channel_status(schedule.channels[channel], schedule.timezone, clock.now())
    start = status.opens_at or (clock.now() if status.open else None)
    if start is None:
        abort(404)
    start_utc = start.astimezone(dt.UTC)
    stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
    details = contact("helpline").phone if channel == "phone" else ""
    title = _("Reminder")  # neutral: a calendar is seen by others more often than a history
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//helpline//reminder//NL",
        "BEGIN:VEVENT",
        f"UID:{start_utc.strftime('%Y%m%dT%H%M%SZ')}-{channel}@reminder",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{start_utc.strftime('%Y%m%dT%H%M%SZ')}",
        f"DTEND:{(start_utc + dt.timedelta(minutes=30)).strftime('%Y%m%dT%H%M%SZ')}",
        f"SUMMARY:{_ics_text(title)}",
        f"DESCRIPTION:{_ics_text(details or '')}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    response = Response("\r\n".join(lines) + "\r\n", mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'attachment; filename="reminder.ics"'
    return response


def _ics_text(text: str) -> str:
    """RFC 5545 TEXT escaping."""
    for char in ("\\", ";", ","):
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def contact_hours_context() -> dict[str, Any]:
    """The contact page's week table, every coming changed day and schema.org JSON-LD, with
    notes and holiday names in the page's language."""
    schedule = schedule_or_none()
    if schedule is None:
        return {"hours": None, "json_ld": None}
    today = clock.local_today(schedule.timezone)
    language = page_language()
    channels = {
        name: {
            "week": week(channel, schedule.timezone, today, language),
            "changes": changed_days(channel, today, language),
        }
        for name, channel in schedule.channels.items()
    }
    return {"hours": channels, "json_ld": json_ld(schedule, today, language)}


def json_ld(schedule: Any, today: dt.date, language: Language) -> str:
    """schema.org ContactPoint per channel with weekly hours and upcoming special hours."""
    helpline = contact("helpline")
    points = []
    for name, channel in schedule.channels.items():
        hours: list[dict[str, Any]] = []
        for weekday, intervals in channel.weekly.items():
            for interval in intervals:
                opens, closes = format_interval(interval).split("-")
                hours.append(
                    {
                        "@type": "OpeningHoursSpecification",
                        "dayOfWeek": f"https://schema.org/{SCHEMA_DAYS[weekday]}",
                        "opens": opens,
                        "closes": closes,
                    }
                )
        for change in changed_days(channel, today, language):
            # schema.org marks a closed day as opening and closing at midnight.
            ranges = [format_interval(i).split("-") for i in change.intervals]
            for opens, closes in ranges or [["00:00", "00:00"]]:
                special = {
                    "@type": "OpeningHoursSpecification",
                    "validFrom": change.first.isoformat(),
                    "validThrough": change.last.isoformat(),
                    "opens": opens,
                    "closes": closes,
                }
                if change.note:
                    special["description"] = change.note
                hours.append(special)
        point: dict[str, Any] = {
            "@type": "ContactPoint",
            "contactType": "phone" if name == "phone" else "chat",
            "availableLanguage": ["nl", "en"],
            "hoursAvailable": hours,
        }
        if name == "phone" and helpline.phone:
            point["telephone"] = helpline.phone
        elif name == "chat":
            point["url"] = current_app.config["SITE_URL"] + page_url("chat")  # our own chat
        points.append(point)
    document = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": helpline.name,
        "url": helpline.url,
        "contactPoint": points,
    }
    # Escape "<" so the JSON can never close its <script> element.
    return json.dumps(document, ensure_ascii=False).replace("<", "\\u003c")
