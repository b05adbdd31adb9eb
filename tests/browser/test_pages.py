"""Every public page in Chromium: works with JavaScript on and off, shows the way to help in
its first screen, axe-clean (WCAG 2.2 AA, target size included) at phone and laptop sizes in
both languages, and never makes a request outside our own origin."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, Route

from tests.browser.conftest import PHONE
from tests.live_server import LiveServer

AXE = Axe()
# The standards' own tags, WCAG 2.2 AA included: axe leaves target size (2.5.8) out unless
# asked for by tag; best practices as in axe's default run.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
LAPTOP = {"width": 1280, "height": 800}
# From page load: skip link, quick exit, the helpline's number.
MAX_TABS_TO_PHONE = 3


def violations(page: Page) -> list[str]:
    results = AXE.run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']}: {[node['target'] for node in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def target_size_is_checked(page: Page) -> bool:
    response = AXE.run(page, options={**AXE_OPTIONS, "resultTypes": ["passes"]}).response
    ran = response["passes"] + response["violations"] + response["incomplete"]
    return any(rule["id"] == "target-size" for rule in ran)


def block_page_scripts(route: Route) -> None:
    """Serve our page with `script-src 'none'`: what a visitor with JavaScript off gets.

    axe itself is injected by the test driver, which a page's CSP does not restrict; a context
    with JavaScript disabled would stop axe from running at all.
    """
    response = route.fetch()
    headers = {**response.headers, "content-security-policy": "script-src 'none'"}
    route.fulfill(response=response, headers=headers)


def bottom(locator: Locator) -> float:
    box = locator.bounding_box()
    assert box is not None, locator
    return float(box["y"] + box["height"])


def first_screen_problems(page: Page, height: int) -> list[str]:
    """What of the way to help, and of the page's own heading, is not in the first screen."""
    bar = page.locator(".help-bar")
    wanted: dict[str, Any] = {
        "number": bar.locator('a[href^="tel:"]'),
        "phone status": bar.locator('.status[data-channel="phone"]'),
        "chat": bar.locator(".help-bar__chat"),
        "chat status": bar.locator('.status[data-channel="chat"]'),
        "heading": page.locator("h1"),
    }
    problems = [f"no {name}" for name, item in wanted.items() if item.count() != 1]
    problems += [
        f"{name} ends at {bottom(item):.0f}px"
        for name, item in wanted.items()
        if item.count() == 1 and bottom(item) > height
    ]
    return problems


def tabs_to_phone(page: Page) -> int | None:
    """How many Tab presses from page load reach a `tel:` link (None: not within the limit)."""
    for presses in range(1, MAX_TABS_TO_PHONE + 1):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement?.getAttribute('href')")
        if href and href.startswith("tel:"):
            return presses
    return None


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_every_page_shows_help_first_and_is_accessible(
    browser: Browser,
    server: LiveServer,
    site_paths: list[str],
    lang: str,
    viewport: dict[str, int],
    javascript: bool,
) -> None:
    """One load per page: help in the first screen, the number within 3 Tabs, axe clean."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    if not javascript:
        page.route(f"{server.url}/{lang}/**", block_page_scripts)
    problems: dict[str, list[str]] = {}
    paths = [p for p in site_paths if p.startswith(f"/{lang}/")]
    assert paths
    for path in paths:
        response = page.goto(server.url + path)
        assert response is not None, path
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        assert page.locator("a#quick-exit").is_visible(), path
        found = first_screen_problems(page, viewport["height"])
        found += violations(page)
        if tabs_to_phone(page) is None:
            found.append(f"the number takes more than {MAX_TABS_TO_PHONE} Tab presses")
        if found:
            problems[path] = found
    assert target_size_is_checked(page)
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
