#!/usr/bin/env python3
"""Readability: the Flesch-Douma score of the main text of every public page in Dutch.

    .venv/bin/python bench/readability.py

Dutch visitor texts are written at language level B1 (brief.md). Flesch-Douma is the Dutch
version of Flesch Reading Ease (textstat with language "nl"); 65 or more is taken here as the
floor for B1. The script renders each page with the app's own test client (no server), keeps
the text inside <main> that a visitor sees on load (not scripts or <template> elements), and
treats each paragraph, list item, heading and table cell as its own sentence: a list item
without a full stop is still a unit of reading, and counting a whole list as one sentence would
punish short items. Exits 1 when a page is below the floor. tests/test_readability.py runs the
same computation, so the rule holds for every change to a text.
"""

from __future__ import annotations

import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import flask_migrate
import textstat

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.db import db  # noqa: E402
from app.messages.crypto import new_key  # noqa: E402
from app.public.pages import PAGES  # noqa: E402
from app.seed import seed_all  # noqa: E402

FLOOR = 65.0
BLOCKS = frozenset(
    [
        "p",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "td",
        "th",
        "dt",
        "dd",
        "caption",
        "legend",
        "label",
        "button",
        "summary",
        "div",
        "section",
        "ul",
        "ol",
        "table",
        "tr",
        "form",
        "fieldset",
        "nav",
        "blockquote",
    ]
)
HIDDEN = frozenset({"script", "style", "template"})
SENTENCE_END = (".", "!", "?", ":", "…", "”", '"')


class MainText(HTMLParser):
    """Collects the visible text of <main> as a list of reading units (one per block)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.units: list[str] = []
        self._words: list[str] = []
        self._in_main = False
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self._in_main = True
        if tag in HIDDEN:
            self._hidden += 1
        if tag in BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self._hidden -= 1
        if tag in BLOCKS or tag == "main":
            self._flush()
        if tag == "main":
            self._in_main = False

    def handle_data(self, data: str) -> None:
        if self._in_main and not self._hidden:
            self._words.extend(data.split())

    def _flush(self) -> None:
        unit = " ".join(self._words).strip()
        self._words = []
        if unit:
            self.units.append(unit if unit.endswith(SENTENCE_END) else unit + ".")


def main_text(html: str) -> str:
    parser = MainText()
    parser.feed(html)
    parser.close()
    return " ".join(parser.units)


def flesch_douma(text: str) -> float:
    """Flesch-Douma: textstat's Flesch Reading Ease with the Dutch constants."""
    textstat.set_lang("nl")
    return float(textstat.flesch_reading_ease(text))


def scores() -> list[tuple[str, str, float]]:
    """(page key, Dutch URL, score) for every public page, rendered on a fresh seeded app."""
    with tempfile.TemporaryDirectory(prefix="readability-") as folder:
        app = create_app(
            {
                "SECRET_KEY": "readability-" + "k" * 40,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'site.sqlite3'}",
                "CHAT_STORE_URL": f"sqlite:///{Path(folder) / 'chat.sqlite3'}",
                "MESSAGES_KEY": new_key(),
                "TESTING": True,
            }
        )
        with app.app_context():
            flask_migrate.upgrade()
            seed_all(db.session)
        client = app.test_client()
        rows = []
        for page in PAGES:
            url = f"/nl/{page.slug('nl')}"
            response = client.get(url)
            if response.status_code != 200:  # noqa: PLR2004
                raise SystemExit(f"{url}: status {response.status_code}")
            rows.append((page.key, url, flesch_douma(main_text(response.get_data(as_text=True)))))
        return rows


def main() -> int:
    rows = scores()
    width = max(len(url) for _, url, _ in rows)
    print(f"{'page':<{width}}  Flesch-Douma")
    for _, url, score in rows:
        mark = "" if score >= FLOOR else f"  below {FLOOR:g}"
        print(f"{url:<{width}}  {score:6.1f}{mark}")
    below = [url for _, url, score in rows if score < FLOOR]
    print(f"\n{len(rows) - len(below)} of {len(rows)} pages at {FLOOR:g} or more")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
