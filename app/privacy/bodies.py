"""Bounded request bodies, held in memory only: no stranger can write to our disk."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from typing import IO, Any, TypeVar

import flask
from flask import Request, request
from werkzeug.exceptions import RequestEntityTooLarge


@dataclass(frozen=True)
class BodyLimit:
    """How much a request may send: bytes in all, and form fields (with files) in all."""

    max_bytes: int
    max_parts: int


# Every form on the site is small: a chat message of 2,000 characters is at most 24 kB
# percent-encoded. The rare view that needs more says so with `larger_body`.
DEFAULT_BODY_LIMIT = BodyLimit(max_bytes=64 * 1024, max_parts=200)
_LARGER_BODIES: dict[Callable[..., Any], BodyLimit] = {}
View = TypeVar("View", bound=Callable[..., Any])


def larger_body(
    max_bytes: int, max_parts: int = DEFAULT_BODY_LIMIT.max_parts
) -> Callable[[View], View]:
    """Let one view accept more than DEFAULT_BODY_LIMIT (the staff's hours pages)."""

    def mark(view: View) -> View:
        _LARGER_BODIES[view] = BodyLimit(max_bytes, max_parts)
        return view

    return mark


def limit_body() -> None:
    """Refuse an oversized body with 413 before any of it is read (registered first of all
    `before_request` functions, so no other code can read the body before the limit is set).

    A body without a length (chunked) is cut off by Werkzeug at the same limit while it is read.
    Why it matters: Werkzeug spools a large upload to a temporary file, so any route would let
    a stranger write hundreds of megabytes to our disk (issue 16, item 8).
    """
    view = flask.current_app.view_functions.get(request.endpoint or "")
    limit = _LARGER_BODIES.get(view, DEFAULT_BODY_LIMIT) if view else DEFAULT_BODY_LIMIT
    request.max_content_length = limit.max_bytes
    request.max_form_memory_size = limit.max_bytes
    request.max_form_parts = limit.max_parts
    if request.content_length is not None and request.content_length > limit.max_bytes:
        raise RequestEntityTooLarge()


class PrivateRequest(Request):
    """A request whose uploaded files stay in memory (bounded by `limit_body`), never in a
    temporary file on disk, where a visitor's upload could outlive the request."""

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        return BytesIO()
