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
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from app.chat.web import chat_staffed
from app.content_cache import revisions
from app.hours import display
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
        minute = display.now().replace(second=0, microsecond=0)
        notice = public_notice()
        generation = (minute, revisions(), str(notice) if notice else None, chat_staffed())
    except SQLAlchemyError:
        return render()
    cache: PageCache = current_app.extensions["page_cache"]
    return cache.page(generation, path, render)


def init_app(app: Flask) -> None:
    app.extensions["page_cache"] = PageCache()
