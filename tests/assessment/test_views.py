"""The reflection pages (app/public/assessment.py): privacy promise 5 and a clear page always.

Answers go only in a POST body; the result is computed, shown and forgotten: no cookie, no
`Vary: Cookie`, `Cache-Control: no-store`, nothing of the answers in a URL or a log. Bad input
gets a clear page (400, 404 or 413), never a 500.
"""

from __future__ import annotations

import json
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app.assessment import SETS, next_steps, rules_as_json, step_ids
from app.public.pages import PAGES_BY_KEY
from tests.conftest import make_app

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = ROOT / "templates" / "public" / "assessment"
CATALOG = ROOT / "translations" / "nl" / "LC_MESSAGES" / "messages.po"
PART = ROOT / "translations" / "assessment-nl.po.part"

PAGES = {
    "self": {"nl": "/nl/even-nadenken-over-jezelf", "en": "/en/reflect-on-yourself"},
    "other": {"nl": "/nl/even-nadenken-over-een-ander", "en": "/en/reflect-on-someone-else"},
}
ALL_PAGES = [(set_id, lang, url) for set_id, urls in PAGES.items() for lang, url in urls.items()]
URL_ATTRIBUTES = ("href", "src", "action", "formaction")


class Page(HTMLParser):
    """The parts of a page these tests look at."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.shown_steps: list[str] = []
        self.script_data: dict[str, str] = {}
        self._script_id: str | None = None
        self._in_template = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag == "template":
            self._in_template += 1
        if tag == "li" and "data-step" in attributes and not self._in_template:
            self.shown_steps.append(attributes["data-step"])
        if tag == "script":
            self._script_id = attributes.get("id", "")
            self.script_data[self._script_id] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self._in_template -= 1
        if tag == "script":
            self._script_id = None

    def handle_data(self, data: str) -> None:
        if self._script_id is not None:
            self.script_data[self._script_id] += data

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attributes for name, attributes in self.tags if name == tag]

    def ids(self) -> list[str]:
        return [attributes["id"] for _, attributes in self.tags if "id" in attributes]

    def urls(self) -> list[str]:
        return [a[name] for _, a in self.tags for name in URL_ATTRIBUTES if name in a]

    def steps(self) -> list[str]:
        """The steps shown as the result (not the templates the script clones)."""
        return self.shown_steps


def parse(response: TestResponse) -> Page:
    return Page(response.get_data(as_text=True))


def assert_private(response: TestResponse) -> None:
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    assert "Location" not in response.headers


def assert_one_h1_and_unique_ids(page: Page) -> None:
    assert len(page.all("h1")) == 1
    ids = page.ids()
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


@pytest.mark.parametrize(("set_id", "lang", "url"), ALL_PAGES)
def test_the_form_page(client: FlaskClient, set_id: str, lang: str, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert_private(response)
    page = parse(response)
    assert_one_h1_and_unique_ids(page)
    assert page.all("html")[0]["lang"] == lang

    forms = page.all("form")
    assert len(forms) == 1
    assert forms[0]["method"] == "post", "answers must never go in a URL"
    assert forms[0]["action"] == url
    assert forms[0]["autocomplete"] == "off"
    assert not [i for i in page.all("input") if i.get("name") == "csrf_token"]

    # One fieldset with a legend per question, a labelled radio per option.
    questions = SETS[set_id].questions
    assert len(page.all("fieldset")) == len(questions) == len(page.all("legend"))
    radios = [i for i in page.all("input") if i.get("type") == "radio"]
    assert [(r["name"], r["value"]) for r in radios] == [
        (q.id, o.value) for q in questions for o in q.options
    ]
    labelled = {label["for"] for label in page.all("label")}
    assert all(radio["id"] in labelled for radio in radios)

    # The rules as data, and one server-rendered template per step; no inline code or style.
    assert json.loads(page.script_data["assessment-rules"]) == rules_as_json(set_id)
    for script in page.all("script"):
        assert script.get("src") or script.get("type") == "application/json"
    assert [t["id"] for t in page.all("template")] == [
        f"assessment-step-{s}" for s in step_ids(set_id)
    ]
    assert "/static/js/site.js" in " ".join(page.urls())
    html = response.get_data(as_text=True)
    assert not re.search(r"\son[a-z]+\s*=", html, re.IGNORECASE), "no inline event handlers"
    assert not re.search(r"\sstyle\s*=", html, re.IGNORECASE), "no inline style"
    assert "<style" not in html

    # The result region, focusable, hidden until the script fills it.
    region = next(s for s in page.all("section") if s.get("id") == "assessment-result")
    assert "hidden" in region
    heading = next(h for h in page.all("h2") if h.get("id") == "assessment-result-title")
    assert heading["tabindex"] == "-1"


@pytest.mark.parametrize(("set_id", "lang", "url"), ALL_PAGES)
def test_the_result_shows_one_helpline_box(
    client: FlaskClient, set_id: str, lang: str, url: str
) -> None:
    """The box is one of the steps; the form's top has a line with the number, not a box, so
    the result shown in place of the form (script) or by the server holds one, not two."""
    form = client.get(url).get_data(as_text=True)
    outside_templates = re.sub(r"<template.*?</template>", "", form, flags=re.S)
    assert outside_templates.count('class="helpline-box"') == 0
    assert 'href="tel:' in outside_templates.split('id="assessment-form"', 1)[0]
    result = client.post(url, data={}).get_data(as_text=True)
    assert result.count('class="helpline-box"') == 1


def test_the_form_says_it_is_not_a_test_and_keeps_nothing(client: FlaskClient) -> None:
    text = client.get(PAGES["self"]["en"]).get_data(as_text=True)
    for words in ("not a test", "no score", "no diagnosis", "never stored", "nothing is sent"):
        assert words in text, words


def dutch_catalog() -> Catalog:
    """The Dutch catalog with this feature's translations (the .po.part, until it is merged)."""
    with CATALOG.open("rb") as file:
        catalog = read_po(file, locale="nl")
    if PART.exists():
        with PART.open("rb") as file:
            part = read_po(file, locale="nl")
        for message in part:
            if message.id and message.string:
                current = catalog.get(message.id)
                if current is None:
                    catalog[message.id] = message
                elif not current.string:
                    current.string = message.string
    return catalog


def texts_of_this_feature(app: Flask) -> set[str]:
    texts = {q.text for s in SETS.values() for q in s.questions}
    texts |= {o.label for s in SETS.values() for q in s.questions for o in q.options}
    for template in sorted(TEMPLATES.glob("*.html")):
        texts |= {str(m[1]) for m in extract_from_file("jinja2", str(template), DEFAULT_KEYWORDS)}
    with app.test_request_context("/en/"):
        g.lang = "en"
        for key in ("check-self", "check-other"):
            texts |= {str(PAGES_BY_KEY[key].title), str(PAGES_BY_KEY[key].plain_title)}
    return texts


def test_every_text_has_a_dutch_translation(app: Flask) -> None:
    catalog = dutch_catalog()
    texts = texts_of_this_feature(app)
    assert len(texts) > 80
    translated = {m.id for m in catalog if m.id and m.string}
    assert sorted(texts - translated) == []
    problems = [(m.id, errors) for m, errors in catalog.check() if m.id in texts]
    assert problems == [], "placeholders must match"


def test_the_dutch_pages_render(tmp_path: Path) -> None:
    """Both pages and a result in Dutch, with this feature's translations compiled in."""
    folder = tmp_path / "translations" / "nl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as file:
        write_mo(file, dutch_catalog())
    client = make_app(
        tmp_path, BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "translations")
    ).test_client()
    form = client.get(PAGES["self"]["nl"]).get_data(as_text=True)
    for words in ("Even nadenken over jezelf", "geen test", "geen score", "nooit bewaard"):
        assert words in form, words
    assert "Dat zeg ik liever niet" in form
    assert "Even nadenken over een ander" in client.get(PAGES["other"]["nl"]).get_data(as_text=True)
    answers = {"child_danger": "yes", "wellbeing": "suicidal", "noticed": "found"}
    result = client.post(PAGES["other"]["nl"], data=answers)
    assert result.status_code == 200
    assert "Je volgende stappen" in result.get_data(as_text=True)
    assert parse(result).steps() == next_steps("other", answers)


@pytest.mark.parametrize(("set_id", "lang", "url"), ALL_PAGES)
def test_a_child_in_danger_comes_first(
    client: FlaskClient, set_id: str, lang: str, url: str
) -> None:
    mood = "mood" if set_id == "self" else "wellbeing"
    answers = {"child_danger": "yes", mood: "suicidal", "police": "yes"}
    response = client.post(url, data=answers)
    assert response.status_code == 200
    assert_private(response)
    page = parse(response)
    assert_one_h1_and_unique_ids(page)
    assert page.steps() == next_steps(set_id, answers)
    assert page.steps()[:3] == ["emergency", "suicide_prevention", "helpline"]
    html = response.get_data(as_text=True)
    first = html.index('data-step="emergency"')
    assert html.index('href="tel:112"', first) < html.index('data-step="suicide_prevention"')
    assert html.index('href="tel:113"') < html.index('data-step="helpline"')
    assert 'id="assessment-helpline-title"' in html
    heading = next(h for h in page.all("h2") if h.get("id") == "assessment-result-title")
    assert heading["tabindex"] == "-1"


@pytest.mark.parametrize(("set_id", "lang", "url"), ALL_PAGES)
def test_no_answers_still_give_the_helpline(
    client: FlaskClient, set_id: str, lang: str, url: str
) -> None:
    response = client.post(url, data={})
    assert response.status_code == 200
    assert parse(response).steps() == next_steps(set_id, {})
    assert "helpline" in parse(response).steps()


def test_the_result_for_someone_else(client: FlaskClient) -> None:
    answers = {"child_danger": "not_sure", "noticed": "found", "relationship": "young_person"}
    page = parse(client.post(PAGES["other"]["en"], data=answers))
    assert page.steps() == next_steps("other", answers)
    assert page.steps()[:2] == ["child_worry", "helpline"]
    assert "for_relatives" in page.steps()
    assert {"/en/something-you-saw-online", "/en/for-young-people"} <= set(page.urls())


def test_answers_are_never_echoed_or_logged(
    client: FlaskClient, marker: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    url = PAGES["self"]["nl"]
    responses = [
        client.post(url, data={"child_danger": marker, marker: "yes", "note": marker}),
        client.post(url, data={"child_danger": "yes", "mood": marker}),
        client.post(f"{url}?child_danger={marker}", data={"child_danger": "yes"}),
        client.get(f"{url}?child_danger={marker}&{marker}=1"),
        client.post(url, data={"child_danger": [marker, "yes"]}),
    ]
    for response in responses:
        assert response.status_code in (200, 400)
        assert_private(response)
        assert marker not in response.get_data(as_text=True)
        assert not [u for u in parse(response).urls() if "?" in u and "static/" not in u]
    assert marker not in caplog.text
    assert "cookie" not in caplog.text, "a view tried to set a cookie (app/privacy.py removed it)"


def test_the_result_urls_carry_no_answers(client: FlaskClient) -> None:
    response = client.post(PAGES["self"]["en"], data={"child_danger": "yes", "images": "now"})
    for url in parse(response).urls():
        assert "child_danger" not in url, url
        assert "images=" not in url, url
        assert "?" not in url or url.startswith("/static/"), url


def test_a_repeated_answer_gets_a_clear_page(client: FlaskClient) -> None:
    response = client.post(
        PAGES["self"]["en"],
        data="child_danger=no&child_danger=yes",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert_private(response)
    page = parse(response)
    assert_one_h1_and_unique_ids(page)
    assert page.all("form"), "the form is shown again"
    assert not [i for i in page.all("input") if "checked" in i], "no answer is echoed back"
    assert "Something went wrong with your answers" in response.get_data(as_text=True)


JUNK = [
    (
        "unknown values",
        "child_danger=maybe&mood=%00%FF&age=-1",
        "application/x-www-form-urlencoded",
    ),
    ("unknown fields", "x=1&y=2&__proto__=yes", "application/x-www-form-urlencoded"),
    ("bad percent", "child_danger=%E0%A4%A&mood=%", "application/x-www-form-urlencoded"),
    ("not utf-8", b"child_danger=\xff\xfe&mood=\xc3\x28", "application/x-www-form-urlencoded"),
    ("json", '{"child_danger": "yes"}', "application/json"),
    ("text", "child_danger=yes", "text/plain"),
    ("no type", "child_danger=yes", ""),
    (
        "bad multipart",
        "--x\r\nContent-Disposition: form-data\r\n\r\n",
        "multipart/form-data; boundary=x",
    ),
    ("many fields", "&".join(f"f{i}=1" for i in range(600)), "application/x-www-form-urlencoded"),
]


@pytest.mark.parametrize(("body", "content_type"), [j[1:] for j in JUNK], ids=[j[0] for j in JUNK])
def test_junk_never_gives_a_500(client: FlaskClient, body: str | bytes, content_type: str) -> None:
    response = client.post(PAGES["self"]["nl"], data=body, content_type=content_type or None)
    assert response.status_code in (200, 400, 413), response.status_code
    assert_private(response)
    page = parse(response)
    assert_one_h1_and_unique_ids(page)
    if response.status_code == 200:
        assert "helpline" in page.steps()


def test_a_huge_body_is_refused_before_it_is_read(client: FlaskClient) -> None:
    response = client.post(
        PAGES["self"]["en"],
        data="child_danger=yes&note=" + "x" * 100_000,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert_private(response)
    assert len(parse(response).all("h1")) == 1


def test_a_multipart_form_works_too(client: FlaskClient) -> None:
    response = client.post(
        PAGES["self"]["en"], data={"child_danger": "yes"}, content_type="multipart/form-data"
    )
    assert response.status_code == 200
    assert parse(response).steps()[0] == "emergency"


@pytest.mark.parametrize(
    "url",
    [
        "/nl/zorgen-over-jezelf",  # a page, but not a reflection page
        "/nl/contact",
        "/nl/no-such-page",
        "/en/even-nadenken-over-jezelf",  # the Dutch slug under /en/
        "/xx/reflect-on-yourself",
    ],
)
def test_only_reflection_pages_take_a_post(client: FlaskClient, url: str) -> None:
    response = client.post(url, data={"child_danger": "yes"})
    assert response.status_code == 404
    assert_private(response)


def test_home_takes_no_post(client: FlaskClient) -> None:
    assert client.post("/nl/", data={"child_danger": "yes"}).status_code == 405


def test_the_get_form_ignores_answers_in_the_url(client: FlaskClient) -> None:
    response = client.get(PAGES["self"]["en"] + "?child_danger=yes")
    assert response.status_code == 200
    assert parse(response).steps() == [], "no result is shown for a GET"
    assert not [i for i in parse(response).all("input") if "checked" in i]
