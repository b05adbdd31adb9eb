"""Messages in real Chromium through real gunicorn, with JavaScript on and off, in both
languages: leave a message, copy the code, come back, read, reply, delete; axe on every page
of the flow (the message page itself is in the sitemap, so test_pages.py checks it too)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.test_pages import violations
from tests.live_server import LiveServer

PATHS = {"nl": "/nl/bericht", "en": "/en/message"}


def axe_clean(page: Page, what: str) -> None:
    assert violations(page) == [], what


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_whole_flow_works_and_is_accessible(
    browser: Browser, server: LiveServer, lang: str, javascript: bool
) -> None:
    # axe needs script in the page to run, so it runs in the JavaScript-on pass only.
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(server.url + PATHS[lang])
    if javascript:
        axe_clean(page, "message page")
    page.fill("#message-text", f"A message in {lang}, script {javascript}")
    page.fill("#message-name", "Sam")
    page.locator("form.message-form button[type=submit]").first.click()
    code = page.locator("#pickup-code").inner_text().strip()
    assert len(code.replace("-", "")) == 16
    assert code not in page.url
    if javascript:
        axe_clean(page, "code page")

    page.goto(server.url + PATHS[lang])
    page.fill("#message-code", code.lower().replace("-", " "))
    page.locator("#message-code").press("Enter")
    assert page.locator(".conversation__text").first.inner_text().startswith("A message in")
    assert code not in page.url
    if javascript:
        axe_clean(page, "conversation page")

    page.fill("#reply-text", "A reply")
    page.locator("#reply-text").locator("xpath=..").locator("button").click()
    assert page.locator(".conversation__text").nth(1).inner_text() == "A reply"

    page.locator("form[action$='/message/delete'] button").click()
    assert page.locator("h1").count() == 1
    if javascript:
        axe_clean(page, "deleted page")
    page.goto(server.url + PATHS[lang])
    page.fill("#message-code", code)
    page.locator("#message-code").press("Enter")
    assert page.locator("#code-error").is_visible()
    if javascript:
        axe_clean(page, "not found")
    context.close()
