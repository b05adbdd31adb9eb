"""The short public notice ("Chat is closed today for maintenance"): sanitizing, saving, showing.

Staff write plain text: a blank line starts a new paragraph, a line break stays a line break,
and an https address becomes a link (`text_to_html`, with bleach's linkify). Nobody has to type
a tag, and a "<" typed by staff is shown as a "<", never read as HTML.

What is stored is still the HTML visitors get. Only p, br, strong, em and https links survive
`sanitize`; every link gets rel="noreferrer noopener". The HTML is cleaned when it is saved and
again when it is loaded for the public pages, so a row written some other way (a restore, a
manual fix) can still never put a script on a visitor's page. Notices stored before the editor
took plain text were HTML typed by staff: they are shown to visitors as before, and the editor
turns them into plain text when it loads them (`html_to_text`), so no migration rewrites them.

Public pages read the notice through the worker cache (`content_cache.cached("notice", ...)`)
as a plain value; whether it is active (between start and end) is decided per request.
"""

from __future__ import annotations

import html as html_text
import logging
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import bleach
from bleach.html5lib_shim import Filter  # type: ignore[attr-defined]  # bleach's vendored html5lib
from markupsafe import Markup
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from app import clock
from app.content_cache import bump_revision, cached
from app.db import db
from app.i18n import current_language
from app.staff import audit
from app.staff.blueprint import bp
from app.staff.models import Notice

log = logging.getLogger(__name__)

NOTICE_ID = 1
MAX_NOTICE_LENGTH = 1000
ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "a"})
LINK_REL = "noreferrer noopener"


def _is_https_link(tag: str, name: str, value: str) -> bool:
    """Only `href` on links, and only to an https address with a host (no javascript:, no
    http:, no relative or protocol-relative tricks)."""
    if tag != "a" or name != "href":
        return False
    parts = urlsplit(value.strip())
    return parts.scheme.lower() == "https" and bool(parts.hostname)


class _SafeLinks(Filter):
    """After sanitizing: links get rel="noreferrer noopener"; a link whose address was
    removed (not https) is unwrapped, so only its text remains."""

    def __iter__(self) -> Iterator[dict[str, Any]]:
        dropped: list[bool] = []
        for token in super().__iter__():
            if token["type"] == "StartTag" and token["name"] == "a":
                keep = (None, "href") in token["data"]
                dropped.append(not keep)
                if not keep:
                    continue
                token["data"][(None, "rel")] = LINK_REL
            elif token["type"] == "EndTag" and token["name"] == "a" and dropped and dropped.pop():
                continue
            yield token


CLEANER = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_is_https_link,
    protocols=frozenset({"https"}),
    strip=True,
    filters=[_SafeLinks],
)


def sanitize(html: str) -> str:
    """`html` with everything but simple formatting and https links removed."""
    return CLEANER.clean(html).strip()


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


def text_to_html(text: str) -> str:
    """Plain text as the notice's HTML: paragraphs at blank lines, <br> at single line breaks,
    https addresses as links; sanitized like any stored notice (so an http address stays
    text)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = [part.strip() for part in _PARAGRAPH_BREAK.split(text) if part.strip()]
    body = "".join(
        "<p>" + "<br>".join(html_text.escape(line.strip()) for line in part.split("\n")) + "</p>"
        for part in paragraphs
    )
    return sanitize(bleach.linkify(body, callbacks=[], parse_email=False))


class _PlainText(HTMLParser):
    """Collects the text of notice HTML the way `text_to_html` would have been given it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current = ""
        self.link: tuple[str, str] | None = None  # (href, text so far)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            self.end_paragraph()
        elif tag == "br":
            self.write("\n")
        elif tag == "a":
            self.link = (dict(attrs).get("href") or "", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self.end_paragraph()
        elif tag == "a" and self.link is not None:
            href, label = self.link
            self.link = None
            # A link written as its address reads back as the address; one with other words
            # keeps both, so the address is not lost when staff edit an old notice.
            self.write(label if not href or label.strip() == href else f"{label} ({href})")

    def handle_data(self, data: str) -> None:
        self.write(data)

    def write(self, text: str) -> None:
        if self.link is not None:
            self.link = (self.link[0], self.link[1] + text)
        else:
            self.current += text

    def end_paragraph(self) -> None:
        lines = [" ".join(line.split()) for line in self.current.split("\n")]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            self.paragraphs.append(paragraph)
        self.current = ""


def html_to_text(html: str) -> str:
    """Stored notice HTML as the plain text the editor shows: the inverse of `text_to_html`
    for what it makes, and a faithful reading of older notices typed as HTML (their bold and
    italics become plain words; links keep their address)."""
    parser = _PlainText()
    parser.feed(html)
    parser.close()
    parser.end_paragraph()
    return "\n\n".join(parser.paragraphs)


@dataclass(frozen=True)
class NoticeInfo:
    """The stored notice as a plain value, safe to share between requests."""

    html_nl: str = ""
    html_en: str = ""
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    version: int = 0

    def is_active(self, moment: datetime) -> bool:
        if not (self.html_nl or self.html_en):
            return False
        if self.starts_at is not None and moment < self.starts_at:
            return False
        return self.ends_at is None or moment < self.ends_at

    def html(self, lang: str) -> str:
        return self.html_en if lang == "en" else self.html_nl


class StaleNotice(Exception):
    """Someone else saved the notice after this edit started."""


def load_notice() -> NoticeInfo:
    """The stored notice, cleaned, straight from the database (empty if there is none)."""
    row = db.session.scalar(select(Notice).where(Notice.id == NOTICE_ID))
    if row is None:
        return NoticeInfo()
    return NoticeInfo(
        html_nl=sanitize(row.html_nl),
        html_en=sanitize(row.html_en),
        starts_at=clock.aware(row.starts_at) if row.starts_at else None,
        ends_at=clock.aware(row.ends_at) if row.ends_at else None,
        version=row.version,
    )


def save_notice(notice: NoticeInfo, expected_version: int) -> None:
    """Store `notice` (cleaned) if the stored version is still `expected_version`.

    Compare-and-set: the UPDATE only matches the version the editor started from, so of two
    staff members saving at once the second gets StaleNotice instead of overwriting the first.
    Version 0 means "no notice was stored yet"; then two first saves collide on the key.
    """
    before = load_notice()
    values = {
        "html_nl": sanitize(notice.html_nl),
        "html_en": sanitize(notice.html_en),
        "starts_at": notice.starts_at,
        "ends_at": notice.ends_at,
    }
    try:
        if expected_version == 0:
            db.session.add(Notice(id=NOTICE_ID, version=1, **values))
            db.session.flush()
        else:
            result = db.session.execute(
                update(Notice)
                .where(Notice.id == NOTICE_ID, Notice.version == expected_version)
                .values(version=expected_version + 1, **values)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise StaleNotice
    except (IntegrityError, StaleNotice):
        db.session.rollback()
        raise StaleNotice from None
    audit.record("notice changed", "notice", before=_audit_view(before), after=_audit_view(values))
    bump_revision("notice")
    db.session.commit()


def _audit_view(notice: NoticeInfo | dict[str, Any]) -> dict[str, str]:
    data = notice if isinstance(notice, dict) else asdict(notice)
    return {
        key: value.isoformat() if isinstance(value, datetime) else str(value or "")
        for key, value in data.items()
        if key != "version"
    }


@bp.app_template_global("public_notice")
def public_notice() -> Markup | None:
    """The active notice in the page's language, for `templates/partials/notice.html`.

    A database problem must never take a public page down: then there is simply no notice.
    """
    try:
        notice: NoticeInfo = cached("notice", load_notice)
    except SQLAlchemyError:
        db.session.rollback()
        log.error("notice unavailable; pages show none")
        return None
    if not notice.is_active(clock.now()):
        return None
    html = notice.html(current_language())
    # Markup is safe here: `load_notice` ran the text through `sanitize`.
    return Markup(html) if html else None  # noqa: S704
