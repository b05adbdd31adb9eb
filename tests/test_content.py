"""What the pages say: help before legal text, each situation told apart, every helpline box
linked to what stays confidential, and the current law where sexting is named."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient

from app.public.pages import PAGES_BY_KEY

POLICE = {"nl": "/nl/na-een-bezoek-van-de-politie", "en": "/en/after-a-police-visit"}
NOT_FURTHER = {"nl": "deze keer niet verder te gaan", "en": "chose not to go further this time"}
TO_CONFIRM = 'class="to-confirm"'
SUICIDE_LINK = 'href="tel:113"'


def main(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True).split("<main", 1)[1].split("</main>", 1)[0]


def section(html: str, section_id: str) -> str:
    match = re.search(rf'<section id="{section_id}".*?</section>', html, re.S)
    assert match, section_id
    return match.group(0)


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_police_page_tells_warning_only_apart_from_a_home_search(
    client: FlaskClient, lang: str
) -> None:
    html = main(client, POLICE[lang])
    warning_only = section(html, "warning-only")
    searched = section(html, "home-searched")
    assert NOT_FURTHER[lang] in warning_only
    assert NOT_FURTHER[lang] not in searched  # not true for those whose home was searched
    assert html.count(NOT_FURTHER[lang]) == 1
    text = visible_text(html)
    assert "95" in text
    assert "55" in text  # the 2023 week: 95 warned, 55 more also had their homes searched


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_police_page_offers_phone_chat_and_113_before_any_legal_text(
    client: FlaskClient, lang: str
) -> None:
    html = main(client, POLICE[lang])
    helpline_tel = html.index('href="tel:08002666436"')
    chat = html.index('href="/' + lang + "/chat")
    legal = html.index('id="warning-only"')
    assert helpline_tel < legal
    assert chat < legal
    assert html.index(SUICIDE_LINK) < legal
    assert 'href="tel:08000113"' in html


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("key", ["police-visit", "images", "young-people"])
def test_113_is_in_the_first_half_of_the_pages_about_images_and_police_visits(
    client: FlaskClient, lang: str, key: str
) -> None:
    html = main(client, f"/{lang}/{PAGES_BY_KEY[key].slug(lang)}")
    assert SUICIDE_LINK in html
    assert html.index(SUICIDE_LINK) < len(html) / 2


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_police_page_says_where_legal_advice_comes_from_marked_to_confirm(
    client: FlaskClient, lang: str
) -> None:
    html = main(client, POLICE[lang])
    legal = html.split('id="legal-advice"', 1)[1].split("<h2", 1)[0]
    assert "Het Juridisch Loket" in legal
    assert "advocaat" in legal  # in Dutch, and named in Dutch on the English page
    assert TO_CONFIRM in legal


class HelplineBoxes(HTMLParser):
    """The links inside each element with class "helpline-box"."""

    def __init__(self) -> None:
        super().__init__()
        self.boxes: list[list[str]] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self._depth:
            self._depth += 1
            if tag == "a":
                self.boxes[-1].append(values.get("href") or "")
        elif "helpline-box" in (values.get("class") or "").split():
            self._depth = 1
            self.boxes.append([])

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1


def test_every_helpline_box_links_to_what_stays_confidential(
    client: FlaskClient, public_urls: list[str]
) -> None:
    seen = 0
    for url in public_urls:
        lang = url.split("/")[1]
        parser = HelplineBoxes()
        parser.feed(client.get(url).get_data(as_text=True))
        for links in parser.boxes:
            seen += 1
            assert f"/{lang}/{PAGES_BY_KEY['trust'].slug(lang)}" in links, url
    assert (
        seen >= len(public_urls) / 2
    )  # most pages have a box; a test that saw none proves nothing


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_trust_page_answers_what_holds_callers_back_and_is_marked_to_confirm(
    client: FlaskClient, public_urls: list[str], lang: str
) -> None:
    url = f"/{lang}/{PAGES_BY_KEY['trust'].slug(lang)}"
    assert url in public_urls  # in the sitemap
    html = main(client, url)
    for part in (
        "anonymous",
        "confidential",
        "child-in-danger",
        "site-keeps-nothing",
        "who-we-are",
    ):
        assert f'id="{part}"' in html, part
    assert f'href="/{lang}/privacy"' in html
    assert 'href="tel:112"' in html
    assert html.count(TO_CONFIRM) >= 2  # the policy, and who we are
    text = visible_text(html)
    for fact in ("2012", "2022", "Offlimits", "De Waag"):
        assert fact in text


def test_images_page_no_longer_says_sexting_between_young_people_is_always_a_crime(
    client: FlaskClient,
) -> None:
    html = main(client, "/en/worried-about-what-you-watch")
    assert "It is also a crime when the minor agreed, for example with sexting." not in html
    adult, law = (
        "For an adult it does not matter if the minor agreed.",
        "Since 1 July 2024",
    )
    assert adult in html
    law_item = html.split(law, 1)[1].split("</li>", 1)[0]
    assert TO_CONFIRM in law_item
    assert 'href="/en/for-young-people"' in law_item


@pytest.mark.parametrize(
    ("url", "law"),
    [("/nl/voor-jongeren", "Sinds 1 juli 2024"), ("/en/for-young-people", "Since 1 July 2024")],
)
def test_young_people_page_states_the_current_sexting_law_marked_to_confirm(
    client: FlaskClient, url: str, law: str
) -> None:
    html = main(client, url)
    part = html.split('id="sexting-law"', 1)[1].split("<h2", 1)[0]
    assert law in part
    assert TO_CONFIRM in part


def test_young_people_page_gives_the_helplines_own_figure_with_its_source(
    client: FlaskClient,
) -> None:
    text = visible_text(main(client, "/en/for-young-people"))
    assert "Many of the people who contact it are young" not in text
    assert "nearly half of the contacts with the helpline were with people aged 26 or younger" in (
        text
    )
    assert "figures of Stop it Now!: 1,716 contacts from 795 people" in text


def test_images_page_says_ai_made_images_are_illegal_too_marked_to_confirm(
    client: FlaskClient,
) -> None:
    html = main(client, "/en/worried-about-what-you-watch")
    item = html.split("Images made with AI", 1)[1].split("</li>", 1)[0]
    assert TO_CONFIRM in item
    assert "Drawings and edited or combined images are also against the law" in html


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_victims_page_names_centrum_seksueel_geweld(client: FlaskClient, lang: str) -> None:
    html = main(client, f"/{lang}/{PAGES_BY_KEY['victims'].slug(lang)}")
    assert "Centrum Seksueel Geweld" in html
    assert 'href="tel:08000188"' in html


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_safe_browsing_explains_removing_the_call_from_recent_calls(
    client: FlaskClient, lang: str
) -> None:
    html = main(client, f"/{lang}/{PAGES_BY_KEY['safe-browsing'].slug(lang)}")
    assert 'id="recent-calls"' in html


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_report_page_says_whether_a_tip_can_be_anonymous_marked_to_confirm(
    client: FlaskClient, lang: str
) -> None:
    html = main(client, f"/{lang}/{PAGES_BY_KEY['report'].slug(lang)}")
    part = html.split('id="anonymous-tip"', 1)[1].split("<h3", 1)[0]
    assert TO_CONFIRM in part
