"""What every template may use: page links, contacts, asset URLs and the page's titles."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from flask_babel import format_date

from app.assets import static_url
from app.contacts import tel_uri
from app.content import contact, public_notice
from app.hours.display import all_closed, hours_status
from app.hours.schedule_json import format_interval
from app.i18n import current_language
from app.messages.web import enabled as messages_enabled
from app.public.pages import PAGES_BY_KEY, Page
from app.public.routes import page_url


def page_title(page: Page | None) -> str:
    if page is None:
        return ""
    title = page.title if current_app.config["DISCREET_TITLES"] else page.plain_title
    return str(title)


def other_language() -> str:
    return "en" if current_language() == "nl" else "nl"


def template_context() -> dict[str, Any]:
    return {
        "lang": current_language(),
        "other_lang": other_language(),
        "quick_exit_url": current_app.config["QUICK_EXIT_URL"],
        "site_url": current_app.config["SITE_URL"],
    }


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        page_url=page_url,
        contact=contact,
        public_notice=public_notice,
        static_url=static_url,
        page_title=page_title,
        pages=PAGES_BY_KEY,
        tel_uri=tel_uri,
        hours_status=hours_status,
        all_closed=all_closed,
        format_interval=format_interval,
        format_date=format_date,
        messages_enabled=messages_enabled,
    )
    app.context_processor(template_context)
