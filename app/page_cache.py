"""Rendered public pages, kept in each worker for the current minute.

A public page's text depends only on its path (language and page), the staff-edited content
(contacts, hours, notice: their revision numbers), the notice shown now, whether a chat
counsellor is available (the chat's status depends on it), and the clock, to
the minute: opening hours are whole minutes, so "open now · until 22:00" cannot change within
one. A page served again within its minute is therefore exactly the page a fresh render would
give; status is still never stale. Nothing about the visitor is part of a page or its key.

Rendering a page costs about 5 ms of CPU (templates and translations), twenty times a
hello-world response; serving it from here brings a page close to that (docs/performance.md).
When the database fails, pages are rendered each time with their fallbacks and not kept.

The same reasoning lets nginx's front cache (deploy/nginx/) keep a copy: `allow_front_cache`
tells it which answers are the same for every visitor, and until when.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

from flask import Flask, Response, current_app, g, request
from sqlalchemy.exc import SQLAlchemyError

from app import clock
from app.chat.web import chat_staffed
from app.content_cache import revisions
from app.staff.notice import public_notice


class PageCache:
    """Pages of one generation (minute, content revisions, notice); a new one drops the rest."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation: Hashable = None
        self._pages: dict[str, str] = {}

    def page(self, generation: Hashable, path: str, render: Callable[[], str]) -> str:
        with self._lock:
            if generation != self._generation:
                self._generation = generation
                self._pages = {}
            html = self._pages.get(path)
        if html is None:
            html = render()
            with self._lock:
                if generation == self._generation:
                    self._pages[path] = html
        return html


def cached_page(path: str, render: Callable[[], str]) -> str:
    try:
        minute = clock.now().replace(second=0, microsecond=0)
        notice = public_notice()
        generation = (minute, revisions(), str(notice) if notice else None, chat_staffed())
    except SQLAlchemyError:
        return render()
    cache: PageCache = current_app.extensions["page_cache"]
    g.shared_page = True  # the same for everyone this minute: the front cache may keep it too
    return cache.page(generation, path, render)


# Answers besides the pages above that are the same for every visitor: the sitemap, robots,
# security.txt, the icon and the open-now API. Staff, chat and messages are never listed.
FRONT_CACHEABLE = frozenset(
    {
        "public.sitemap",
        "public.robots",
        "public.security_txt",
        "public.favicon",
        "public.api_status",
    }
)
MINUTE = 60


def allow_front_cache(response: Response) -> Response:
    """Let the front cache keep this answer until the next whole minute (`X-Accel-Expires`).

    Only a 200 to a GET without a query string, setting no cookie, for a page served through
    `cached_page` (so never one with a one-time form key) or a listed endpoint: a 404
    for an address carrying someone's words, an error page, a POST's answer or anything with a
    query is never kept. Until the next whole minute at most, since "open now" changes on
    whole minutes; a staff edit shows within that minute. nginx takes its caching from this
    header alone (it ignores Cache-Control and removes X-Accel-Expires), so browsers still get
    `no-store` and keep nothing.
    """
    if (
        request.method in ("GET", "HEAD")
        and response.status_code == 200  # noqa: PLR2004
        and not request.query_string
        and (g.get("shared_page") or request.endpoint in FRONT_CACHEABLE)
        and "Set-Cookie" not in response.headers
    ):
        seconds_left = MINUTE - clock.now().second
        response.headers["X-Accel-Expires"] = str(seconds_left)
    return response


def init_app(app: Flask) -> None:
    app.extensions["page_cache"] = PageCache()
    app.after_request(allow_front_cache)
