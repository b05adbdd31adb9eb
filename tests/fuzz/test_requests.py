"""Fuzzing the public site with the Flask test client: paths, query strings, headers, methods.

Whatever a visitor (or a scanner) sends, the answer is never a 500 and never shows a stack
trace. Public pages only; the staff forms are fuzzed elsewhere.
"""

from __future__ import annotations

from urllib.parse import quote, unquote_to_bytes

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import sitemap_paths
from tests.fuzz.conftest import FUZZ_SETTINGS, assert_handled

PAGES = ["/", "/nl/", "/en/", "/nl/contact", "/en/contact", "/api/status", "/sitemap.xml"]
FIXED = [
    *PAGES,
    "/robots.txt",
    "/api/openapi.json",
    "/nl/reminder/phone.ics",
    "/static/css/site.css",
]

segment = st.text(
    st.characters(codec="utf-8", exclude_characters="?#"), max_size=40
) | st.sampled_from(["..", ".", "%00", "%2e%2e", "%ff", "nl", "en", "staff", "api", "static", ""])
path = st.builds(
    lambda parts: "/" + "/".join(parts), st.lists(segment, max_size=6)
) | st.sampled_from(FIXED)
# Header values as WSGI carries them: latin-1 code points, so "bad encodings" are raw bytes.
# No CR or LF: they end a header line, so they never reach the app.
latin1 = st.text(
    st.characters(min_codepoint=1, max_codepoint=255, exclude_characters="\r\n"), max_size=300
)
huge = st.integers(1_000, 20_000).map(lambda n: "a," * n)
header_value = latin1 | huge | st.sampled_from(["*", "nl;q=abc", "en;q=-1", ";;;,,,", "x" * 9000])
header_name = st.sampled_from(
    [
        "Accept-Language",
        "Accept",
        "Accept-Encoding",
        "Cookie",
        "If-None-Match",
        "If-Modified-Since",
        "Range",
        "Content-Type",
        "X-Forwarded-For",
        "X-Forwarded-Proto",
        "X-Forwarded-Host",
        "Origin",
        "Referer",
        "User-Agent",
    ]
)
query_value = st.text(max_size=60) | st.sampled_from(
    ["9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00+00:00", "2026-12-24T18:00:00", "Z" * 50]
)
query = st.lists(
    st.tuples(
        st.sampled_from(["at", "q", "lang", "v", "next"]) | st.text(max_size=10), query_value
    ),
    max_size=5,
)


def encode(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)


@settings(**FUZZ_SETTINGS)
@given(path, st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"]))
def test_any_path_and_method(site: Flask, url: str, method: str) -> None:
    # Set as gunicorn would: percent-decoded bytes as latin-1 (the test client would otherwise
    # read a path like "//x" as a host name).
    raw_path = unquote_to_bytes(url).decode("latin-1")
    assert_handled(
        site, (method, url), "/", method=method, environ_overrides={"PATH_INFO": raw_path}
    )


@settings(**FUZZ_SETTINGS)
@given(st.sampled_from(PAGES), query)
def test_any_query_string(site: Flask, page: str, pairs: list[tuple[str, str]]) -> None:
    url = f"{page}?{encode(pairs)}"
    assert_handled(site, url, url)


@settings(**FUZZ_SETTINGS)
@given(st.sampled_from(FIXED), st.dictionaries(header_name, header_value, min_size=1, max_size=4))
def test_any_headers(site: Flask, page: str, headers: dict[str, str]) -> None:
    assert_handled(site, (page, headers), page, headers=headers)


def test_every_public_page_with_the_worst_accept_language(site: Flask) -> None:
    """Each page once with a huge, badly encoded Accept-Language (the root redirect reads it)."""
    worst = "\xff\xfe" + ",".join(f"x{i};q=0.{i % 10}" for i in range(3000))
    for page in ["/", *sitemap_paths(site.test_client())]:
        assert_handled(site, page, page, headers={"Accept-Language": worst})


@pytest.mark.parametrize("host", ["a..b", "x" * 64 + ".nl"])
def test_a_malformed_host_gets_a_400_not_a_500(site: Flask, host: str) -> None:
    with site.test_client().get("/nl/", headers={"Host": host}) as response:
        assert response.status_code == 400
