"""Every response's headers keep the privacy and security promises (app/privacy.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.conftest import make_app

FORBIDDEN_SOURCES = ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:", "blob:")


def parse_csp(header: str) -> dict[str, list[str]]:
    policy: dict[str, list[str]] = {}
    for directive in header.split(";"):
        parts = directive.split()
        if parts:
            assert parts[0] not in policy, f"directive {parts[0]} given twice"
            policy[parts[0]] = parts[1:]
    return policy


def assert_strict_csp(header: str) -> None:
    policy = parse_csp(header)
    assert policy["default-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    for directive, sources in policy.items():
        for source in sources:
            assert source in ("'self'", "'none'"), f"{directive} allows {source}"
            assert source not in FORBIDDEN_SOURCES


def test_every_public_page_has_strict_headers(client: FlaskClient, public_urls: list[str]) -> None:
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        headers = response.headers
        assert_strict_csp(headers["Content-Security-Policy"])
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
        assert "camera=()" in headers["Permissions-Policy"]
        assert headers["Cache-Control"] == "no-store", url
        assert "ETag" not in headers, url
        assert "Set-Cookie" not in headers, url
        assert "Cookie" not in headers.get("Vary", ""), url
        assert "Strict-Transport-Security" not in headers  # off unless configured
        assert "Onion-Location" not in headers


def test_errors_and_redirects_keep_the_headers(client: FlaskClient) -> None:
    for url, status in (("/", 302), ("/nl/no-such-page", 404), ("/xx/", 404), ("/nl/", 200)):
        response = client.get(url)
        assert response.status_code == status
        assert_strict_csp(response.headers["Content-Security-Policy"])
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert "Set-Cookie" not in response.headers


def test_versioned_static_files_are_cached_and_others_are_not(client: FlaskClient) -> None:
    html = client.get("/nl/").get_data(as_text=True)
    css_url = html.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    assert "?v=" in css_url
    with client.get(css_url) as cached, client.get("/static/css/site.css") as unversioned:
        assert "immutable" in cached.headers["Cache-Control"]
        assert "max-age=31536000" in cached.headers["Cache-Control"]
        assert unversioned.headers["Cache-Control"] != cached.headers["Cache-Control"]


def test_a_cookie_set_by_a_public_view_is_removed(client: FlaskClient) -> None:
    app = client.application

    @app.get("/nl/cookie-test")
    def sets_cookie() -> str:
        from flask import make_response

        response = make_response("x")
        response.set_cookie("tracker", "1")
        response.headers["Vary"] = "Cookie, Accept-Encoding"
        return response  # type: ignore[return-value]

    response = client.get("/nl/cookie-test")
    assert "Set-Cookie" not in response.headers
    assert response.headers["Vary"] == "Accept-Encoding"


def test_public_views_get_no_session(client: FlaskClient) -> None:
    app = client.application

    @app.get("/nl/session-test")
    def writes_session() -> str:
        from flask import session

        session["visitor"] = "1"
        return "x"

    with pytest.raises(RuntimeError, match="session is unavailable"):
        client.get("/nl/session-test")  # a null session refuses to be written


@pytest.mark.parametrize(
    ("host", "hsts"),
    [("help.example.nl", True), ("abcdefghijklmnop.onion", False)],
)
def test_hsts_when_configured_and_never_on_onion(tmp_path: Path, host: str, hsts: bool) -> None:
    app = make_app(tmp_path, HSTS=True, ONION_ADDRESS="abcdefghijklmnop.onion")
    response = app.test_client().get("/nl/", headers={"Host": host})
    assert ("Strict-Transport-Security" in response.headers) is hsts
    assert ("Onion-Location" in response.headers) is hsts
    if hsts:
        assert response.headers["Onion-Location"] == "http://abcdefghijklmnop.onion/nl/"
