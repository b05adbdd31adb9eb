"""Every public page, and the error pages, are valid HTML for the W3C Nu HTML checker."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.html_check import html_errors


def test_every_page_is_valid_html(client: FlaskClient, public_urls: list[str]) -> None:
    urls = [*public_urls, "/nl/no-such-page", "/en/no-such-page"]
    assert html_errors({url: client.get(url).data for url in urls}) == []
