"""Quick exit as GOV.UK's "Exit this page" behaves: a plain link without JavaScript; with it, the
page is hidden at once, Shift pressed three times leaves, and the page is replaced in the
history, so Back does not bring it back."""

from __future__ import annotations

import json

from playwright.sync_api import Browser, Page

from tests.browser.conftest import NEUTRAL_SITE, serve_neutral_site
from tests.live_server import LiveServer


def test_quick_exit_is_a_plain_link_without_javascript(
    browser: Browser, server: LiveServer
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    serve_neutral_site(page)
    page.goto(server.url + "/nl/contact")
    assert page.locator("a#quick-exit").get_attribute("rel") == "noreferrer nofollow"
    page.click("a#quick-exit")
    page.wait_for_url(NEUTRAL_SITE)
    context.close()


def test_quick_exit_hides_the_page_before_leaving(page: Page, server: LiveServer) -> None:
    # Runs after the button's own handler (document-level, bubbling): what does the visitor see
    # in the moment between the click and the neutral site arriving? Written synchronously to
    # our origin's sessionStorage, so it survives the navigation and is read back after it.
    page.add_init_script(
        """document.addEventListener("click", () => sessionStorage.setItem("exitState",
            JSON.stringify({
                exiting: document.documentElement.classList.contains("is-exiting"),
                overlay: !document.getElementById("quick-exit-overlay").hidden,
                main: getComputedStyle(document.querySelector("main")).visibility,
            })));"""
    )
    serve_neutral_site(page)
    page.goto(server.url + "/en/contact")
    page.goto(server.url + "/en/")
    page.click("a#quick-exit")
    page.wait_for_url(NEUTRAL_SITE)
    page.go_back()
    page.wait_for_url(server.url + "/en/contact")
    seen = json.loads(page.evaluate("sessionStorage.getItem('exitState')") or "null")
    assert seen == {"exiting": True, "overlay": True, "main": "hidden"}


def test_shift_three_times_leaves_and_announces_progress(page: Page, server: LiveServer) -> None:
    serve_neutral_site(page)
    page.goto(server.url + "/en/")
    page.keyboard.press("Shift")
    assert "2 more times" in page.locator("#quick-exit-status").inner_text()
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_url(NEUTRAL_SITE)


def test_shift_used_as_a_modifier_does_not_leave(page: Page, server: LiveServer) -> None:
    serve_neutral_site(page)
    page.goto(server.url + "/nl/")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift+A")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    assert page.url.startswith(server.url)


def test_back_after_quick_exit_does_not_bring_the_page_back(page: Page, server: LiveServer) -> None:
    """location.replace: the neutral site takes the exited page's place in the history, so Back
    shows the page before it (whole, not hidden), never the page that was left."""
    serve_neutral_site(page)
    page.goto(server.url + "/nl/contact")
    page.goto(server.url + "/nl/zorgen-over-jezelf")
    page.click("a#quick-exit")
    page.wait_for_url(NEUTRAL_SITE)
    page.go_back()
    page.wait_for_url(server.url + "/nl/contact")
    assert page.locator("main").is_visible()
    assert not page.locator("#quick-exit-overlay").is_visible()
    assert page.evaluate("document.documentElement.classList.contains('is-exiting')") is False
    page.go_forward()
    page.wait_for_url(NEUTRAL_SITE)


def test_shift_three_times_replaces_the_page_in_the_history(page: Page, server: LiveServer) -> None:
    """Left with Shift x3: the history is no longer than before, the page's entry is replaced."""
    serve_neutral_site(page)
    page.goto(server.url + "/en/worried-about-yourself")
    entries = page.evaluate("history.length")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(NEUTRAL_SITE)
    assert page.evaluate("history.length") == entries
