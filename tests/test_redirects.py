"""Every redirect is a path on our own site: never an address built from the Host header.

Behind the proxy the app sees http and whatever Host a client sends, so an absolute Location
built from them sent visitors to http:// (or to another host) (issue 16, item 9).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask import Flask, redirect, url_for
from flask.testing import FlaskClient
from werkzeug.routing import MapAdapter, Rule
from werkzeug.routing.converters import AnyConverter, IntegerConverter

from tests.conftest import make_app
from tests.live_server import LiveServer

HOSTILE = {"Host": "evil.example", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}


def assert_own_path(location: str) -> None:
    parts = urlsplit(location)
    assert not parts.scheme, location
    assert not parts.netloc, location
    assert location.startswith("/"), location
    assert not location.startswith("//"), location  # that would name another host
    assert "evil.example" not in location


def build_url(adapter: MapAdapter, rule: Rule) -> str:
    """A URL for `rule`: a dummy value for each argument that has no default."""
    values: dict[str, object] = {}
    for argument in rule.arguments - set(rule.defaults or ()):
        converter = rule._converters[argument]
        if isinstance(converter, IntegerConverter):
            values[argument] = 1
        elif isinstance(converter, AnyConverter):
            values[argument] = sorted(converter.items)[0]
        else:
            values[argument] = "x"
    return adapter.build(rule.endpoint, {**(rule.defaults or {}), **values})


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return make_app(tmp_path_factory.mktemp("redirects"))


@pytest.mark.parametrize(
    ("path", "target"), [("/nl", "/nl/"), ("/en", "/en/"), ("/staff", "/staff/")]
)
def test_slash_redirects_are_relative_whatever_the_host_says(
    site: Flask, path: str, target: str
) -> None:
    response = site.test_client().get(path, headers=HOSTILE)
    assert response.status_code == 308
    assert response.headers["Location"] == target


def test_every_rule_with_a_trailing_slash_redirects_to_its_path(site: Flask) -> None:
    client = site.test_client()
    adapter = site.url_map.bind("localhost")
    slashed = [r for r in site.url_map.iter_rules() if r.rule.endswith("/") and r.rule != "/"]
    assert slashed
    for rule in slashed:
        url = build_url(adapter, rule)
        response = client.get(url.rstrip("/") + "?x=1", headers=HOSTILE)
        assert response.status_code == 308, url
        assert response.headers["Location"] == url + "?x=1"


def test_every_get_address_redirects_within_the_site(site: Flask) -> None:
    """Every GET rule, anonymous, with a hostile Host: the root, favicon.ico, every staff page
    (to the login with ?next=) and anything else that redirects gives a path."""
    client = site.test_client()
    adapter = site.url_map.bind("localhost")
    redirects = 0
    for rule in site.url_map.iter_rules():
        if "GET" not in (rule.methods or ()):
            continue
        response = client.get(build_url(adapter, rule), headers=HOSTILE)
        if response.status_code in (301, 302, 303, 307, 308):
            assert_own_path(response.headers["Location"])
            redirects += 1
    assert redirects > 5  # /, favicon.ico and the staff pages at least


def test_a_redirect_to_an_absolute_address_of_ours_becomes_a_path(tmp_path: object) -> None:
    """Code that builds an external URL (`_external=True`) still cannot send visitors to the
    Host header's address: app/privacy.py rewrites such a Location into a path."""
    app = make_app(tmp_path)  # type: ignore[arg-type]

    @app.get("/nl/test-external")
    def external() -> object:
        return redirect(url_for("public.page", lang="nl", slug="", _external=True))

    response = app.test_client().get("/nl/test-external", headers=HOSTILE)
    assert response.headers["Location"] == "/nl/"


def test_a_redirect_to_another_site_is_kept(client: FlaskClient) -> None:
    """The chat's quick exit goes to the neutral site: that address is not ours to rewrite."""
    response = client.post(
        "/nl/chat/exit",
        headers={**HOSTILE, "Sec-Fetch-Site": "same-origin"},
        data={"token": "x" * 43},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == client.application.config["QUICK_EXIT_URL"]


@pytest.mark.server
def test_gunicorn_redirects_never_name_the_host(tmp_path: object) -> None:
    import http.client

    with LiveServer(tmp_path) as server:  # type: ignore[arg-type]
        for path, target in [
            ("/nl", "/nl/"),
            ("/en", "/en/"),
            ("/staff", "/staff/"),
            ("/", "/nl/"),
        ]:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            connection.request("GET", path, headers=HOSTILE)
            response = connection.getresponse()
            response.read()
            connection.close()
            assert response.status in (302, 308), path
            assert response.getheader("Location") == target, path
