"""Every public page in Chromium: works with JavaScript on and off, axe-clean at phone and
desktop widths in both languages, and never makes a request outside our own origin."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Route

from tests.browser.conftest import DESKTOP, PHONE
from tests.live_server import LiveServer

AXE = Axe()


def violations(page: Page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{v['id']}: {[node['target'] for node in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def block_page_scripts(route: Route) -> None:
    """Serve our page with `script-src 'none'`: what a visitor with JavaScript off gets.

    axe itself is injected by the test driver, which a page's CSP does not restrict; a context
    with JavaScript disabled would stop axe from running at all.
    """
    response = route.fetch()
    headers = {**response.headers, "content-security-policy": "script-src 'none'"}
    route.fulfill(response=response, headers=headers)


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_pages_are_accessible(
    browser: Browser,
    server: LiveServer,
    site_paths: list[str],
    lang: str,
    viewport: dict[str, int],
    javascript: bool,
) -> None:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    if not javascript:
        page.route(f"{server.url}/{lang}/**", block_page_scripts)
    problems = {}
    paths = [p for p in site_paths if p.startswith(f"/{lang}/")]
    assert paths
    for path in paths:
        response = page.goto(server.url + path)
        assert response is not None, path
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        assert page.locator("a#quick-exit").is_visible(), path
        found = violations(page)
        if found:
            problems[path] = found
    context.close()
    assert problems == {}


def test_every_page_works_without_javascript(
    browser: Browser, server: LiveServer, site_paths: list[str]
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for path in site_paths:
        response = page.goto(server.url + path)
        assert response is not None, path
        assert response.status == 200, path
        assert page.locator("h1").is_visible(), path
        assert page.locator("a#quick-exit").get_attribute("href"), path
        assert page.locator('a[href^="tel:"]').count() >= 1, path
    context.close()


def test_no_request_leaves_our_origin(
    browser: Browser, server: LiveServer, site_paths: list[str]
) -> None:
    context = browser.new_context()
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    for path in site_paths:
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
    context.close()
    assert len(requested) > len(site_paths)  # pages plus their own CSS, JS and icons
    foreign = [url for url in requested if not url.startswith(server.url + "/")]
    assert foreign == []
