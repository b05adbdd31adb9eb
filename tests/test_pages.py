"""Public pages: both languages, discreet titles (promise 6), numbers only from the directory."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from app.public.pages import PAGES
from tests.conftest import make_app

ROOT = Path(__file__).resolve().parent.parent
# Words that would expose someone in a shared browser history or on a screen reader's title.
EXPLICIT = re.compile(
    r"misbruik|abuse|beeld|image|seks|sex|pedo|paedo|porn|kinderporno|csam|minderjarig|minor"
    r"|slachtoffer|victim",
    re.IGNORECASE,
)
PHONE_LIKE = re.compile(r"(?<![#\w])(\+31|0[0-9]{2,3}[ -]?[0-9]{2,}|11[23])(?![\w#])")


def title(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    assert match
    return match.group(1)


def test_every_page_exists_in_both_languages(client: FlaskClient, public_urls: list[str]) -> None:
    assert len(public_urls) == 2 * len(PAGES)
    for page in PAGES:
        nl = client.get(f"/nl/{page.slug('nl')}")
        en = client.get(f"/en/{page.slug('en')}")
        assert nl.status_code == en.status_code == 200, page.key
        assert '<html lang="nl">' in nl.get_data(as_text=True)
        assert '<html lang="en">' in en.get_data(as_text=True)
        assert title(nl.get_data(as_text=True)) != title(en.get_data(as_text=True)), page.key


def test_titles_are_discreet_by_default(client: FlaskClient, public_urls: list[str]) -> None:
    for url in public_urls:
        text = title(client.get(url).get_data(as_text=True))
        assert not EXPLICIT.search(text), f"{url}: {text}"
        assert not EXPLICIT.search(url), url  # the address is history too


def test_plain_titles_when_discretion_is_switched_off(tmp_path: Path) -> None:
    client = make_app(tmp_path, DISCREET_TITLES=False).test_client()
    text = title(client.get("/en/worried-about-what-you-watch").get_data(as_text=True))
    assert "images" in text


PUBLIC_TEMPLATES = sorted(p for p in (ROOT / "templates").rglob("*.html") if "staff" not in p.parts)


@pytest.mark.parametrize("template", PUBLIC_TEMPLATES, ids=lambda p: p.name)
def test_no_phone_number_is_written_into_a_template(template: Path) -> None:
    text = re.sub(r"\{#.*?#\}", "", template.read_text(), flags=re.S)  # comments may explain
    assert PHONE_LIKE.findall(text) == [], "numbers come from the contact directory"


def test_root_redirects_by_accept_language(client: FlaskClient) -> None:
    assert client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"}).location == "/en/"
    assert client.get("/", headers={"Accept-Language": "de, fr;q=0.5"}).location == "/nl/"
    assert client.get("/", headers={"Accept-Language": ";;;q=x, , *"}).location == "/nl/"


def test_language_switch_links_to_the_same_page(client: FlaskClient) -> None:
    html = client.get("/nl/na-een-bezoek-van-de-politie").get_data(as_text=True)
    assert 'class="language-switch" href="/en/after-a-police-visit"' in html


def test_card_has_an_inline_qr_code_for_the_site(client: FlaskClient) -> None:
    html = client.get("/nl/kaart-om-mee-te-geven").get_data(as_text=True)
    assert "<svg" in html
    assert 'role="img"' in html
    assert "http://127.0.0.1:8000/nl/" in html


def test_well_known_files(client: FlaskClient) -> None:
    security = client.get("/.well-known/security.txt").get_data(as_text=True)
    assert security.startswith("Contact: ")
    assert "Expires: " in security
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Disallow: /staff/" in robots
    assert "Sitemap: " in robots
    with client.get("/favicon.ico", follow_redirects=True) as icon:
        assert icon.status_code == 200
        assert icon.mimetype == "image/svg+xml"
