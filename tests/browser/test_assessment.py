"""The reflection prompts in Chromium: with JavaScript nothing leaves the device; without it the
answers go in a POST body (never a URL) and the result is no-store; axe-clean either way."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Request

from tests.browser.conftest import PHONE
from tests.browser.test_pages import AXE_OPTIONS, block_page_scripts
from tests.live_server import LiveServer

PAGES = {"nl": "/nl/even-nadenken-over-jezelf", "en": "/en/reflect-on-yourself"}
AXE = Axe()


def answer_child_in_danger_and_police(page_url: str, browser: Browser, javascript: bool):  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=javascript, viewport=PHONE)
    page = context.new_page()
    page.goto(page_url)
    page.check('input[name="child_danger"][value="yes"]')
    page.check('input[name="police"][value="yes"]')
    return context, page


def test_with_javascript_submitting_sends_nothing(browser: Browser, server: LiveServer) -> None:
    context, page = answer_child_in_danger_and_police(server.url + PAGES["en"], browser, True)
    page.wait_for_load_state("networkidle")
    sent: list[Request] = []
    context.on("request", lambda request: sent.append(request))  # noqa: PLW0108 (see test_quick_exit)
    page.click("#assessment-form button[type=submit]")
    page.wait_for_selector("#assessment-result:not([hidden])")
    page.wait_for_timeout(500)
    assert sent == []
    assert page.url == server.url + PAGES["en"]  # nothing in the address either
    steps = page.locator("#assessment-steps > li").evaluate_all(
        "items => items.map(item => item.dataset.step)"
    )
    assert steps[0] == "emergency"  # a child in danger: 112 first
    assert "helpline" in steps
    focused = page.evaluate("document.activeElement.id")
    assert focused == "assessment-result-title"
    assert page.locator(".helpline-box:visible").count() == 1  # one box, not two
    assert AXE.run(page, options=AXE_OPTIONS).violations_count == 0
    context.close()


def test_without_javascript_the_answers_are_posted(browser: Browser, server: LiveServer) -> None:
    context, page = answer_child_in_danger_and_police(server.url + PAGES["nl"], browser, False)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.click("#assessment-form button[type=submit]")
    response = posted.value
    assert response.status == 200
    assert response.request.post_data is not None
    assert "child_danger=yes" in response.request.post_data
    assert "child_danger" not in response.url
    assert response.headers["cache-control"] == "no-store"
    assert "set-cookie" not in response.headers
    steps = page.locator("#assessment-result li[data-step]").evaluate_all(
        "items => items.map(item => item.dataset.step)"
    )
    assert steps[0] == "emergency"
    assert context.cookies() == []
    context.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_result_page_is_accessible(browser: Browser, server: LiveServer, lang: str) -> None:
    context, page = answer_child_in_danger_and_police(server.url + PAGES[lang], browser, True)
    assert AXE.run(page, options=AXE_OPTIONS).violations_count == 0  # the form itself
    page.route(server.url + "/**", block_page_scripts)  # the no-JS result, from the server
    page.click("#assessment-form button[type=submit]")
    page.wait_for_selector("#assessment-result")
    results = AXE.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
    context.close()


SMALL_PHONE = {"width": 320, "height": 568}


def test_each_question_fits_a_small_phone_with_large_options(
    browser: Browser, server: LiveServer
) -> None:
    """At 320 px wide: every question fits one screen under the sticky quick exit bar, nothing
    is wider than the screen, and each option (the whole row) is at least 44 px high, its
    radio at least 24 px (WCAG 2.2 target size)."""
    context = browser.new_context(viewport=SMALL_PHONE)
    page = context.new_page()
    page.goto(server.url + PAGES["nl"])
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    bar = page.locator(".quick-exit-bar").bounding_box()
    assert bar is not None
    for fieldset in page.locator("fieldset.assessment-question").all():
        box = fieldset.bounding_box()
        assert box is not None
        assert box["height"] <= SMALL_PHONE["height"] - bar["height"]
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= SMALL_PHONE["width"]
    rows = page.locator(".assessment-option").evaluate_all(
        "rows => rows.map(row => [row.getBoundingClientRect().height,"
        " row.querySelector('input').getBoundingClientRect().width,"
        " row.querySelector('input').getBoundingClientRect().height])"
    )
    assert rows
    assert all(height >= 44 and width >= 24 and side >= 24 for height, width, side in rows), rows
    context.close()
