"""Every public page's context and the state it reads: one row per page, in one table.

A page's template gets `page`, the template globals (app/templating.py) and its row's
`context()`. Its row also declares the shared state the page shows (app/page_inputs.py); the
page cache keys a kept page by exactly those inputs and the minute (app/page_cache.py), and
refuses a render that read anything more, so a page that starts showing new state cannot be
served stale for lack of a line here. The table names every page (tests/test_page_inputs.py),
so a new page gets a row on purpose, not by a module importing another for its side effect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import segno
from flask import abort, current_app, g, request

from app.chat.store import Limits
from app.messages import web as messages_web
from app.page_cache import cached_page
from app.page_inputs import Input
from app.public.assessment import ASSESSMENT_PAGES, form_context
from app.public.blueprint import bp
from app.public.chat_views import entry_context
from app.public.hours import contact_hours_context
from app.public.message_views import message_context
from app.public.pages import PAGES_BY_SLUG, Page
from app.public.routes import LANG, page_url, render_page

# What base.html shows on every public page: the help bar (the helpline's number, the phone's
# and the chat's status, so the hours and whether a counsellor is free), the contacts in the
# footer, and the notice. Configuration is not an input: it is fixed for a process's life.
LAYOUT = frozenset({Input.HOURS, Input.CHAT_STAFFED, Input.CONTACTS, Input.NOTICE})


def no_context() -> dict[str, Any]:
    return {}


def card_context() -> dict[str, Any]:
    """The printable card's QR code, as inline SVG pointing at the home page."""
    address = current_app.config["SITE_URL"] + page_url("home")
    qr = segno.make(address, error="m")
    return {"qr_svg": qr.svg_inline(scale=4, dark="#000", light="#fff"), "site_address": address}


def privacy_context() -> dict[str, Any]:
    """The privacy statement names the chat's timeouts and the messages' retention as
    configured, not as assumed."""
    chat = Limits(**current_app.config["CHAT_LIMITS"])
    return {
        "chat_idle_minutes": chat.idle_seconds // 60,
        "chat_gone_seconds": chat.waiting_gone_seconds,
        "message_retention_days": messages_web.limits().retention_days,
    }


@dataclass(frozen=True)
class PageRow:
    context: Callable[[], dict[str, Any]] = no_context
    reads: frozenset[Input] = field(default=LAYOUT)


PAGE_TABLE: dict[str, PageRow] = {
    "home": PageRow(),
    "self": PageRow(),
    "images": PageRow(),
    "police-visit": PageRow(),
    "young-people": PageRow(),
    "someone-else": PageRow(),
    "report": PageRow(),
    "child-in-danger": PageRow(),
    "victims": PageRow(),
    "professionals": PageRow(),
    "card": PageRow(card_context),
    # The week tables and coming changes: the hours, already part of the layout's inputs.
    "contact": PageRow(contact_hours_context),
    "trust": PageRow(),
    "chat": PageRow(entry_context),  # never kept (a one-time start key): see pages.py
    "message": PageRow(message_context),  # never kept (a one-time form key)
    "right-now": PageRow(),
    "check-self": PageRow(partial(form_context, ASSESSMENT_PAGES["check-self"])),
    "check-other": PageRow(partial(form_context, ASSESSMENT_PAGES["check-other"])),
    "safe-browsing": PageRow(),
    "privacy": PageRow(privacy_context),
    "accessibility": PageRow(),
}


@bp.get(f"/{LANG}/", defaults={"slug": ""})
@bp.get(f"/{LANG}/<slug>")
def page(slug: str) -> str:
    """A public page in the language of the URL."""
    found = PAGES_BY_SLUG.get((g.lang, slug))
    if found is None:
        abort(404)
    row = PAGE_TABLE[found.key]
    if not found.cacheable:
        return render_row(found, row)
    return cached_page(request.path, row.reads, lambda: render_row(found, row))


def render_row(found: Page, row: PageRow) -> str:
    return render_page(found, row.context())
