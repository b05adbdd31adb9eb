"""The notice's text: plain text from staff in, safe HTML out, and back again for editing.

Staff write plain text: a blank line starts a new paragraph, a line break stays a line break,
and an https address becomes a link (`text_to_html`, with bleach's linkify). Nobody has to type
a tag, and a "<" typed by staff is shown as a "<", never read as HTML.

What is stored is still the HTML visitors get. Only p, br, strong, em and https links survive
`sanitize`; every link gets rel="noreferrer noopener". Notices stored before the editor took
plain text were HTML typed by staff: they are shown to visitors as before, and the editor turns
them into plain text when it loads them (`html_to_text`), so no migration rewrites them.
"""

from __future__ import annotations

import html as html_text
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import bleach
from bleach.html5lib_shim import Filter  # type: ignore[attr-defined]  # bleach's vendored html5lib

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
