"""Visitor pages speak the visitor's language: no technical words (issue 11).

"JavaScript", "no-store", "axe-core", "WCAG" or "IP address" mean nothing to someone looking
for help, or worse, make the site feel like it is not for them. Pages say what a thing means
for the visitor instead ("nothing you choose leaves your phone"). Only the accessibility
statement keeps the standards' names, in its own section for readers who want the details.

What is checked is what a visitor can meet: text, the page title, and the attributes that are
shown or read aloud (aria-label, alt, title, placeholder, the quick-exit announcements), in
every public page in both languages, the chat entry open and closed, and the results.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.public.pages import PAGES
from tests.chat.web import open_chat_app
from tests.clock import freeze

TECHNICAL = re.compile(
    r"javascript|no-store|axe|wcag|\bip\b|ip-?ad|\bhtml\b|\bcss\b|\bhttps?\b|server|\bsessi"
    r"|\bcache\b|\bscripts?\b|\btokens?\b|\burl\b|\bcsp\b|\bw3c\b|\bcookieless\b",
    re.IGNORECASE,
)
SPOKEN_ATTRIBUTES = {"aria-label", "alt", "title", "placeholder", "data-press-two"}
SPOKEN_ATTRIBUTES |= {"data-press-one", "data-leaving", "content"}
DETAILS_CLASS = "for-the-details"  # the accessibility statement's section on the standards
AMSTERDAM = dt.timezone(dt.timedelta(hours=1))
# Placeholder hours (app/hours/seed.py): on this Tuesday morning the phone is open, the chat not.
TUESDAY_MORNING = dt.datetime(2026, 12, 1, 10, 0, tzinfo=AMSTERDAM)


class VisitorText(HTMLParser):
    """The words a visitor can see or hear, outside <script> and the details section."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self._skip_depth = 0  # inside <script>/<style> or the details section
        self._open: list[bool] = []  # per open element: did it start a skip?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        skips = tag in ("script", "style") or DETAILS_CLASS in (values.get("class") or "")
        shown = tag != "meta" or values.get("name") == "description"
        if not self._skip_depth and not skips and shown:
            self.words += [v for k, v in attrs if k in SPOKEN_ATTRIBUTES and v]
        if tag in self.VOID:
            return
        self._open.append(skips)
        self._skip_depth += skips

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID or not self._open:
            return
        self._skip_depth -= self._open.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip_depth and data.strip():
            self.words.append(data)


def technical_words(html: str) -> list[str]:
    parser = VisitorText()
    parser.feed(html)
    return sorted({m.group(0) for text in parser.words for m in TECHNICAL.finditer(text)})


def test_the_check_finds_technical_words_and_spares_the_details_section() -> None:
    assert technical_words("<p>This works without JavaScript.</p>") == ["JavaScript"]
    assert technical_words('<a aria-label="Your IP address">x</a>') == ["IP"]
    assert technical_words("<title>no-store</title>") == ["no-store"]
    details = f'<section class="{DETAILS_CLASS}"><p>WCAG 2.2 <br> axe-core</p></section><p>ok</p>'
    assert technical_words(details) == []
    assert technical_words('<script src="/static/js/site.js"></script><p>Call us</p>') == []


@pytest.fixture
def chat_app(tmp_path: Path) -> Flask:
    return open_chat_app(tmp_path)


def pages_of(client: FlaskClient) -> dict[str, str]:
    urls = [f"/{lang}/{page.slug(lang)}" for page in PAGES for lang in ("nl", "en")]
    found = {url: client.get(url).get_data(as_text=True) for url in urls}
    for url in ("/nl/even-nadenken-over-jezelf", "/en/reflect-on-someone-else"):
        found[f"POST {url}"] = client.post(url, data={"child_danger": "yes"}).get_data(as_text=True)
    found["/nl/no-such-page"] = client.get("/nl/no-such-page").get_data(as_text=True)
    return found


def test_no_technical_words_on_any_visitor_page(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every page in both languages, the results and an error page; the chat entry closed."""
    freeze(monkeypatch, TUESDAY_MORNING)
    found = {url: technical_words(html) for url, html in pages_of(client).items()}
    assert {url: words for url, words in found.items() if words} == {}


def test_no_technical_words_on_the_open_chat_entry(chat_app: Flask) -> None:
    client = chat_app.test_client()
    urls = ("/nl/chat", "/en/chat")
    found = {url: technical_words(client.get(url).get_data(as_text=True)) for url in urls}
    assert {url: words for url, words in found.items() if words} == {}
