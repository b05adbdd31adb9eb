"""The state a public page may read, by name, and a record of what a render really read.

A page kept by the page cache (app/page_cache.py) is keyed by the inputs it declares
(app/public/page_table.py). A declaration can be wrong: a template may start showing new state.
So every reader of shared state notes its name here while a page is rendered (the content
cache for hours, contacts and the notice; `display.schedule_or_none` for the hours, before
its per-request memo; `chat_staffed` for the chat), and the page cache compares the record
with the declaration. A page that read more than it declared would be
served stale for the rest of its minute; it is refused instead (see `page_cache.cached_page`).
"""

from __future__ import annotations

from enum import StrEnum

from flask import g


class Input(StrEnum):
    """Shared state a page can show. The names of the first three are the content cache's
    keys (app/content_cache.py), so a new kind of cached content is an input by its name."""

    HOURS = "hours"  # the schedule: status sentences, week tables, coming changes
    CONTACTS = "contacts"  # the directory: numbers, addresses, short descriptions
    NOTICE = "notice"  # the staff's public notice, shown between its start and end
    CHAT_STAFFED = "chat staffed"  # a counsellor is available: the chat's status depends on it


def note_read(name: str) -> None:
    """Record that the page being rendered read `name` (nothing when no page is recorded)."""
    reads: set[str] | None = g.get("page_reads")
    if reads is not None:
        reads.add(name)


def start_recording() -> set[str]:
    """Begin a fresh record for a render; returns it (it fills while the page renders)."""
    reads: set[str] = set()
    g.page_reads = reads
    return reads


def stop_recording() -> None:
    g.pop("page_reads", None)
