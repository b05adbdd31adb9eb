"""Rendered public pages, kept in each worker for the current minute.

A public page's text depends only on its path (language and page), the clock to the minute,
and the inputs the page declares (app/public/page_table.py): of hours, contacts, the notice
shown now and whether a chat counsellor is available. The key of a kept page is built from
exactly that declaration: the minute, and each declared input's current value (a content
revision number, the notice's text, the counsellor yes/no). Opening hours are whole minutes,
so "open now · until 22:00" cannot change within one. A page served again within its minute is
therefore exactly the page a fresh render would give; status is still never stale. Nothing
about the visitor is part of a page or its key.

A declaration can fall behind its template. Each render records the inputs it really read
(app/page_inputs.py); a page that read one it did not declare would be served stale, so it is
refused: under test (TESTING or DEBUG) `UndeclaredInput` is raised, so the suite catches it
(tests/test_page_inputs.py); in production the page is shown, freshly rendered and not kept,
and one line naming only the input is logged for the developers (never the page: which
page was asked for is about a visit).

Rendering a page costs about 5 ms of CPU (templates and translations), twenty times a
hello-world response; serving it from here brings a page close to that (docs/performance.md).
When the database fails, pages are rendered each time with their fallbacks and not kept.

The same reasoning lets nginx's front cache (deploy/nginx/) keep a copy: `allow_front_cache`
tells it which answers are the same for every visitor, and until when.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Iterable

from flask import Flask, Response, current_app, g, request
from sqlalchemy.exc import SQLAlchemyError

from app import clock
from app.chat.web import chat_staffed
from app.content import public_notice
from app.content_cache import revisions
from app.page_inputs import Input, start_recording, stop_recording

log = logging.getLogger(__name__)


class UndeclaredInput(RuntimeError):
    """A page read shared state its declaration does not name (it could be served stale)."""


class PageCache:
    """Each path's page of its current generation (minute and declared inputs' values).

    A path's page is replaced by the first render of a newer generation; there are as many
    entries as public paths, never more.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pages: dict[str, tuple[Hashable, str]] = {}

    def page(
        self, generation: Hashable, path: str, render: Callable[[], tuple[str, bool]]
    ) -> tuple[str, bool]:
        """(page, kept): this generation's kept page of `path`, else what `render` gives,
        kept if `render` says it may be."""
        with self._lock:
            kept = self._pages.get(path)
        if kept is not None and kept[0] == generation:
            return kept[1], True
        html, keep = render()
        if keep:
            with self._lock:
                self._pages[path] = (generation, html)
        return html, keep


def _value_of(name: Input, content: dict[str, int]) -> Hashable:
    if name is Input.NOTICE:
        notice = public_notice()
        return str(notice) if notice else None
    if name is Input.CHAT_STAFFED:
        return chat_staffed()
    return content.get(name, 0)


def generation_of(reads: Iterable[Input]) -> Hashable:
    """The key of a page that reads `reads`: the minute, and each input's value now."""
    minute = clock.now().replace(second=0, microsecond=0)
    content = dict(revisions())
    return (minute, tuple((name, _value_of(name, content)) for name in sorted(reads)))


def cached_page(path: str, reads: frozenset[Input], render: Callable[[], str]) -> str:
    """The page at `path`, from this minute's copy when its declared `reads` are unchanged."""
    try:
        generation = generation_of(reads)
    except SQLAlchemyError:
        return render()

    def recorded() -> tuple[str, bool]:
        read = start_recording()
        try:
            html = render()
        finally:
            stop_recording()
        undeclared = sorted(read - set(reads))
        if not undeclared:
            return html, True
        if current_app.testing or current_app.debug:
            raise UndeclaredInput(f"{path} read {undeclared}, not in its page table row")
        # The input names only: which page was asked for is about a visit, and is not logged.
        log.error("a page read undeclared inputs (%s); it is not kept", ", ".join(undeclared))
        return html, False

    cache: PageCache = current_app.extensions["page_cache"]
    html, kept = cache.page(generation, path, recorded)
    # The same for everyone this minute: the front cache may keep it too, if we did.
    g.shared_page = kept
    return html


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
