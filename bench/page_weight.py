#!/usr/bin/env python3
"""Page weight: for every public page in /sitemap.xml, what a first visit (empty cache) costs.

    .venv/bin/python bench/page_weight.py

Counts the HTML and every file it references (stylesheets, scripts, icons, images, and what
the stylesheets reference in turn), each once. Sizes are gzip-compressed at level 6, as a
reverse proxy with gzip would send them (the app itself does not compress). Budget per page:
25,000 bytes and 4 requests. Prints every page and then which pages are over.
"""

from __future__ import annotations

import gzip
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import fetch, site, temporary_root  # noqa: E402

BUDGET_BYTES = 25_000
BUDGET_REQUESTS = 4
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


class References(HTMLParser):
    """Same-origin files an HTML page makes the browser fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        rel = (attributes.get("rel") or "").split()
        if tag == "link" and {"stylesheet", "icon", "preload", "manifest"} & set(rel):
            self.found.append(attributes.get("href") or "")
        elif tag in {"script", "img", "source", "input", "video", "audio"}:
            self.found.append(attributes.get("src") or "")


def referenced(page_url: str, html: str) -> list[str]:
    parser = References()
    parser.feed(html)
    return [urljoin(page_url, ref) for ref in parser.found if ref and not ref.startswith("data:")]


def page_cost(url: str, origin: str, cache: dict[str, bytes]) -> tuple[int, list[str], list[str]]:
    """(gzip bytes, own files fetched, third-party addresses) of a first visit to `url`."""

    def body(address: str) -> bytes:
        if address not in cache:
            cache[address] = fetch(address)
        return cache[address]

    html = body(url)
    files = referenced(url, html.decode())
    for address in list(files):
        if urlsplit(address).path.endswith(".css"):
            css = body(address).decode()
            files += [urljoin(address, ref) for ref in CSS_URL.findall(css)]
    files = list(dict.fromkeys(f for f in files if not f.startswith("data:")))
    foreign = [f for f in files if not f.startswith(origin)]
    own = [f for f in files if f.startswith(origin)]
    size = sum(len(gzip.compress(body(address), 6)) for address in [url, *own])
    return size, [url, *own], foreign


def main() -> None:
    over: list[str] = []
    cache: dict[str, bytes] = {}
    with temporary_root("bench-weight-") as root, site(root) as server:
        pages = server.sitemap()
        print(f"{'page':<48}{'gzip bytes':>11}{'requests':>10}")
        for url in pages:
            size, files, foreign = page_cost(url, server.url, cache)
            path, requests = url.removeprefix(server.url), len(files)
            flags = []
            if size > BUDGET_BYTES:
                flags.append(f"over {BUDGET_BYTES} bytes")
            if requests > BUDGET_REQUESTS:
                names = [urlsplit(f).path for f in files]
                flags.append(f"over {BUDGET_REQUESTS} requests ({', '.join(names)})")
            if foreign:
                flags.append(f"third-party: {foreign}")
            print(f"{path:<48}{size:>11}{requests:>10}  {'; '.join(flags)}")
            if flags:
                over.append(f"{path}: {', '.join(flags)}")
    print(f"\n{len(pages)} pages; budget {BUDGET_BYTES} bytes gzip and {BUDGET_REQUESTS} requests")
    print("over budget:" if over else "every page is within budget")
    for line in over:
        print(f"  {line}")


if __name__ == "__main__":
    main()
