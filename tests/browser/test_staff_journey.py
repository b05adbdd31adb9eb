"""A staff member's whole journey in real Chromium against real gunicorn: first login with
authenticator enrolment, a change to Tuesday's chat hours and a closure, checked in the preview
and then on the public contact page, every staff page axe-clean, and logging out."""

from __future__ import annotations

import datetime as dt
import subprocess
import time
from zoneinfo import ZoneInfo

import pyotp
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.conftest import DESKTOP
from tests.live_server import BIN, ROOT, LiveServer

USERNAME = "journey.admin"
PASSWORD = "a quiet walk along the canal 2026"
NEW_TUESDAY = "10:00-11:30, 19:00-22:00"
CLOSURE_NOTE = "Teamdag"
AXE = Axe()


def create_admin(server: LiveServer) -> None:
    subprocess.run(
        [str(BIN / "flask"), "--app", "app", "staff", "create-admin", USERNAME],
        cwd=ROOT,
        env={**server.env, "STAFF_ADMIN_PASSWORD": PASSWORD},
        check=True,
        capture_output=True,
    )


def assert_accessible(page: Page) -> None:
    violations = AXE.run(page).response["violations"]
    found = [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in violations]
    assert found == [], page.url


def log_in_first_time(page: Page, server: LiveServer) -> None:
    page.goto(server.url + "/staff/hours")
    assert page.url.startswith(server.url + "/staff/login")  # default-deny
    assert_accessible(page)
    page.fill("#username", USERNAME)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/login/enroll")
    assert_accessible(page)
    secret = page.locator("code.secret").inner_text()
    page.fill("#code", pyotp.TOTP(secret).now())
    page.locator("main form button[type=submit]").click()
    page.locator("ol.recovery-codes").wait_for()  # shown this once, before going on
    assert_accessible(page)
    page.locator("main a.button").click()
    page.wait_for_url("**/staff/hours")


def closure_day(context: BrowserContext, server: LiveServer) -> dt.date:
    """A day in the coming week, not a Tuesday, without an exception yet."""
    document = context.request.get(server.url + "/staff/hours/export").json()
    taken = set()
    for channel in document["channels"].values():
        for exception in channel["exceptions"]:
            first = dt.date.fromisoformat(exception.get("date") or exception["from"])
            last = dt.date.fromisoformat(exception.get("date") or exception["to"])
            taken |= {first + dt.timedelta(days=n) for n in range((last - first).days + 1)}
    today = dt.datetime.now(ZoneInfo(document["timezone"])).date()
    days = (today + dt.timedelta(days=n) for n in range(2, 7))
    return next(day for day in days if day.weekday() != 1 and day not in taken)


def fill_first_empty_row(page: Page, day: dt.date) -> None:
    firsts = page.locator("input[name^='exceptions-'][name$='-first']")
    empty = next(
        firsts.nth(i).get_attribute("name") or ""
        for i in range(firsts.count())
        if not firsts.nth(i).input_value()
    )
    row = empty.removesuffix("-first")
    page.select_option(f"#{row}-channel", "all")
    page.fill(f"#{row}-first", day.isoformat())
    page.check(f"#{row}-closed")
    page.fill(f"#{row}-note", CLOSURE_NOTE)


def wait_for_public_change(page: Page, server: LiveServer) -> str:
    """The contact page once it shows the change (other workers reload within seconds)."""
    deadline = time.monotonic() + 20
    while True:
        page.goto(server.url + "/nl/contact")
        text = page.locator("#hours").inner_text()
        if "10:00–11:30" in text or time.monotonic() > deadline:
            return text
        time.sleep(0.5)


def test_staff_keep_the_hours_current_without_a_developer(
    browser: Browser, server: LiveServer
) -> None:
    create_admin(server)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    log_in_first_time(page, server)
    assert_accessible(page)
    assert page.locator("#to-confirm").is_visible()

    page.fill("#channel_chat-tue", NEW_TUESDAY)
    day = closure_day(context, server)
    fill_first_empty_row(page, day)
    page.click("button[value=preview]")
    preview = page.locator("#preview")
    assert preview.is_visible()
    assert preview.locator("tbody tr").count() == 14
    assert CLOSURE_NOTE in preview.inner_text()
    assert page.input_value("#channel_chat-tue") == NEW_TUESDAY  # nothing lost, nothing saved
    assert_accessible(page)

    page.click("button[value=save]")
    page.wait_for_load_state()
    assert page.input_value("#channel_chat-tue") == NEW_TUESDAY
    assert page.locator("#to-confirm").count() == 0
    assert page.locator(f"input[value='{CLOSURE_NOTE}']").count() == 1  # one row, all channels

    for path in ("/staff/", "/staff/notice", "/staff/directory", "/staff/directory/helpline"):
        page.goto(server.url + path)
        assert_accessible(page)
    page.goto(server.url + "/staff/hours/import")
    assert_accessible(page)

    public = wait_for_public_change(page, server)
    assert "10:00–11:30, 19:00–22:00" in public
    assert CLOSURE_NOTE in public

    page.goto(server.url + "/staff/")
    page.locator("header form button[type=submit]").click()
    page.wait_for_url("**/staff/login")
    page.goto(server.url + "/staff/hours")
    assert page.url.startswith(server.url + "/staff/login")
    context.close()
