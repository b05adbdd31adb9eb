"""The first-party chat in real Chromium against real gunicorn (two workers, one SQLite store).

Proven here, with JavaScript off (frames, meta refresh, plain form POSTs) and on (Server-Sent
Events, fetch):

- the whole chat: a counsellor makes themself available, a visitor starts a chat with a first
  message, waits at place 1, is taken, reaches the conversation, messages go both ways, the
  visitor ends it and the counsellor sees so; the visitor's browser holds no cookie afterwards
  and no request of either browser leaves our origin;
- quick exit inside a running chat reaches the neutral site and tells the counsellor;
- typing: the visitor sees the counsellor typing (JavaScript) or "a reply is coming" (without),
  the counsellor sees the visitor typing, and the visitor's typing signal carries only the token;
- axe finds nothing on the visitor's pages (entry, waiting room, conversation, frame documents)
  in both languages, nor on the console and a counsellor's chat page.
"""

from __future__ import annotations

import contextlib
import gettext
import json
import re
import secrets
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from typing import cast

import pyotp
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Frame,
    FrameLocator,
    Locator,
    Page,
    expect,
)
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import DESKTOP, NEUTRAL_SITE, serve_neutral_site
from tests.browser.test_pages import block_page_scripts, violations
from tests.chat.web import ALWAYS_OPEN
from tests.live_server import BIN, ROOT, LiveServer

pytestmark = pytest.mark.browser

PASSWORD = "a kettle singing on a cold morning 2026"
SOON_MS = 10_000  # "within a few seconds" for anything pushed by a long-poll or an event
JOIN_MS = 20_000  # a waiting frame polls every 5 s; the console frame answers on changes
NL = gettext.translation("messages", str(ROOT / "translations"), ["nl"], fallback=True)
JAVASCRIPT = pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])

OpenContext = Callable[..., BrowserContext]


def text(lang: str, msgid: str) -> str:
    """A text as the server shows it in `lang` (the staff area is always Dutch)."""
    return NL.gettext(msgid) if lang == "nl" else msgid


def flask_cli(server: LiveServer, *args: str, **env: str) -> None:
    subprocess.run(
        [str(BIN / "flask"), "--app", "app", *args],
        cwd=ROOT,
        env={**server.env, **env},
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def chat_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """gunicorn with its own SQLite chat store, and opening hours that never close."""
    root = tmp_path_factory.mktemp("chat-browser")
    store = f"sqlite:///{root / 'chat.sqlite3'}"
    with LiveServer(root, QUICK_EXIT_URL=NEUTRAL_SITE, CHAT_STORE_URL=store) as live:
        hours = root / "always_open.json"
        hours.write_text(json.dumps(ALWAYS_OPEN))
        flask_cli(live, "hours", "import", str(hours))
        yield live


@pytest.fixture
def tokens(chat_server: LiveServer) -> Iterator[list[str]]:
    """Visitor tokens of this test; any chat a failed test left running is ended afterwards,
    so the next test's counsellor does not take it."""
    started: list[str] = []
    yield started
    for token in started:
        body = urllib.parse.urlencode({"token": token}).encode()
        with contextlib.suppress(urllib.error.HTTPError):  # already ended: 404
            urllib.request.urlopen(chat_server.url + "/nl/chat/end", body, timeout=10).close()


@pytest.fixture
def open_context(browser: Browser) -> Iterator[OpenContext]:
    """Browser contexts (separate cookie jars), all closed when the test ends."""
    made: list[BrowserContext] = []

    def make(**options: object) -> BrowserContext:
        context = browser.new_context(viewport=DESKTOP, **options)  # type: ignore[arg-type]
        made.append(context)
        return context

    yield make
    for context in made:
        for page in context.pages:  # long-polls may still be in a route handler
            page.unroute_all(behavior="ignoreErrors")
        context.close()


# -- the counsellor


def log_in_counsellor(context: BrowserContext, server: LiveServer, username: str = "") -> Page:
    """A new staff account's first login (with authenticator enrolment), landing on the console."""
    username = username or f"counsellor.{secrets.token_hex(4)}"
    flask_cli(server, "staff", "create-admin", username, STAFF_ADMIN_PASSWORD=PASSWORD)
    page = context.new_page()
    page.goto(server.url + "/staff/chat")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/login/enroll")
    secret = page.locator("code.secret").inner_text()
    page.fill("#code", pyotp.TOTP(secret).now())
    page.locator("main form button[type=submit]").click()
    page.locator("ol.recovery-codes").wait_for()  # the recovery codes, then on
    page.locator("main a.button").click()
    page.wait_for_url("**/staff/chat")
    return page


def make_available(staff: Page) -> None:
    staff.locator("form[action$='/staff/chat/available'] button").click()
    expect(staff.locator("input[name=available]")).to_have_value("0")  # the button now says stop


def overview(staff: Page) -> FrameLocator:
    """The console's long-polling frame: the queue and the counsellor's chats."""
    return staff.frame_locator("iframe.chat__frame--overview")


def await_in_queue(staff: Page, server: LiveServer, first_message: str) -> None:
    """The console once its frame lists the visitor's first message."""
    staff.goto(server.url + "/staff/chat")
    expect(overview(staff).locator(".chat-queue")).to_contain_text(first_message, timeout=JOIN_MS)


def take_next(staff: Page, server: LiveServer, first_message: str) -> None:
    await_in_queue(staff, server, first_message)
    overview(staff).locator("form[action$='/staff/chat/take'] button").click()
    staff.wait_for_url(re.compile(r"/staff/chat/[^/]+$"))


def staff_log(staff: Page) -> Locator:
    return staff.frame_locator("iframe.chat__frame").locator(".chat__log")


def staff_status(staff: Page) -> Locator:
    return staff.frame_locator("iframe.chat__frame").locator(".chat-frame__ended")


# -- the visitor


def open_entry(visitor: Page, server: LiveServer, lang: str) -> None:
    """The chat entry page once it offers the form: the hours are open and a counsellor is
    available (each worker sees both within a request or two)."""
    deadline = time.monotonic() + 20
    while True:
        visitor.goto(f"{server.url}/{lang}/chat")
        if visitor.locator("form.chat-start").count() or time.monotonic() > deadline:
            break
        visitor.wait_for_timeout(300)
    expect(visitor.locator("form.chat-start")).to_be_visible()


def start_chat(visitor: Page, tokens: list[str], message: str) -> str:
    """Start a chat with a first message; returns the token from the waiting room's form."""
    visitor.fill("#chat-message", message)
    visitor.locator("form.chat-start button[type=submit]").click()
    expect(visitor.locator("#chat[data-state=waiting]")).to_be_attached()
    token = visitor.locator("input[name=token]").first.get_attribute("value") or ""
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    tokens.append(token)
    return token


def queue_status(visitor: Page, javascript: bool) -> Locator:
    """Where the waiting room says the visitor's place: the live status, or the frame's title."""
    if javascript:
        return visitor.locator(".chat__status")
    return visitor.frame_locator("iframe.chat__frame").locator(".chat-frame__title")


def frame_address(visitor: Page, server: LiveServer) -> str:
    """The frame document's address with the view pass the page holds now (with JavaScript
    the frame is gone, but the event stream's address carries the same pass)."""
    events = visitor.locator("#chat").get_attribute("data-events") or ""
    return server.url + events.removesuffix("/events") + "/frame"


def visitor_log(visitor: Page, javascript: bool) -> Locator:
    if javascript:
        return visitor.locator(".chat__live .chat__log")
    return visitor.frame_locator("iframe.chat__frame").locator(".chat__log")


def reach_conversation(visitor: Page, javascript: bool) -> None:
    """Without JavaScript the frame says a counsellor is there and points to the page's own
    button (the frame holds no token to act with); with it the page moves on by itself.
    Either way the send form appears."""
    if not javascript:
        join = visitor.frame_locator("iframe.chat__frame").locator(".chat-frame__join")
        expect(join).to_be_visible(timeout=JOIN_MS)
        visitor.locator("form.chat__view button").click()
    expect(visitor.locator("form.chat__send")).to_be_visible(timeout=JOIN_MS)


def send(page: Page, message: str) -> None:
    """Type and send, on either side (both reply boxes are #chat-message in a .chat__send)."""
    page.fill("#chat-message", message)
    page.locator("form.chat__send button[type=submit]").click()


def begin_conversation(
    open_context: OpenContext,
    server: LiveServer,
    tokens: list[str],
    javascript: bool,
    first_message: str,
) -> tuple[Page, Page]:
    """An available counsellor and a visitor talking to them: (counsellor page, visitor page)."""
    staff = log_in_counsellor(open_context(java_script_enabled=javascript), server)
    make_available(staff)
    visitor = open_context(java_script_enabled=javascript).new_page()
    open_entry(visitor, server, "nl")
    start_chat(visitor, tokens, first_message)
    expect(queue_status(visitor, javascript)).to_have_text(re.compile(r"\b1$"), timeout=SOON_MS)
    take_next(staff, server, first_message)
    expect(staff_log(staff)).to_contain_text(first_message, timeout=SOON_MS)
    reach_conversation(visitor, javascript)
    return staff, visitor


def record_requests(context: BrowserContext, into: list[str]) -> None:
    context.on("request", lambda request: into.append(request.url))


class AxeProblems:
    """axe's violations per page, collected so that one run reports every page."""

    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {}

    def check(self, page: Page | Frame, where: str) -> None:
        """axe on the document shown now (a Frame works too: axe only needs .evaluate()).

        Frames long-poll, so a new document may arrive while
        axe runs; then axe runs once more, on the new one.
        """
        try:
            found = violations(cast(Page, page))
        except PlaywrightError as error:
            if "context was destroyed" not in str(error):
                raise
            page.wait_for_load_state()
            found = violations(cast(Page, page))
        if found:
            self.found[where] = found

    def assert_none(self) -> None:
        assert self.found == {}, json.dumps(self.found, indent=1)


# -- the tests


@JAVASCRIPT
def test_a_whole_chat_without_cookies_or_foreign_requests(
    open_context: OpenContext, chat_server: LiveServer, tokens: list[str], javascript: bool
) -> None:
    """Start, wait at place 1, taken, messages both ways, visitor ends it, counsellor told.

    Also: the visitor's browser ends with no cookie, and neither browser sent a request
    outside our origin (no font, script, image or beacon from anyone else).
    """
    requested: list[str] = []
    staff = log_in_counsellor(open_context(java_script_enabled=javascript), chat_server)
    record_requests(staff.context, requested)
    make_available(staff)

    visitor_context = open_context(java_script_enabled=javascript)
    record_requests(visitor_context, requested)
    visitor = visitor_context.new_page()
    open_entry(visitor, chat_server, "nl")
    first = f"I need to talk {secrets.token_hex(3)}"
    start_chat(visitor, tokens, first)
    expect(queue_status(visitor, javascript)).to_have_text(re.compile(r"\b1$"), timeout=SOON_MS)

    take_next(staff, chat_server, first)
    expect(staff_log(staff)).to_contain_text(first, timeout=SOON_MS)
    reach_conversation(visitor, javascript)
    expect(visitor_log(visitor, javascript)).to_contain_text(first, timeout=SOON_MS)

    send(visitor, "Thank you for being here")
    expect(staff_log(staff)).to_contain_text("Thank you for being here", timeout=SOON_MS)
    send(staff, "I am listening.")
    expect(visitor_log(visitor, javascript)).to_contain_text("I am listening.", timeout=SOON_MS)
    expect(visitor_log(visitor, javascript).locator(".chat__text")).to_have_text(
        [first, "Thank you for being here", "I am listening."]
    )

    visitor.locator("form[action$='/chat/end'] button").click()
    expect(visitor.locator("h1")).to_have_text(text("nl", "The chat has ended"))
    ended = text("nl", "The visitor ended the chat.")
    expect(staff_status(staff)).to_contain_text(ended, timeout=SOON_MS)
    staff.goto(chat_server.url + "/staff/chat")
    expect(overview(staff).locator("main")).to_contain_text(ended, timeout=SOON_MS)
    expect(overview(staff).locator("main")).not_to_contain_text(first)  # wiped, queue too

    assert visitor_context.cookies() == []
    foreign = [url for url in requested if not url.startswith(chat_server.url + "/")]
    assert foreign == []
    assert any("/nl/chat/" in url for url in requested)  # the recording did see the chat


@JAVASCRIPT
def test_quick_exit_in_a_chat_leaves_and_tells_the_counsellor(
    open_context: OpenContext, chat_server: LiveServer, tokens: list[str], javascript: bool
) -> None:
    """One press in a running chat: the browser reaches the neutral site (served locally here)
    and the counsellor's chat page says the visitor left with quick exit."""
    first = f"quick exit {secrets.token_hex(3)}"
    staff, visitor = begin_conversation(open_context, chat_server, tokens, javascript, first)
    serve_neutral_site(visitor)
    button = visitor.locator("button#quick-exit")
    expect(button).to_be_visible()
    button.click()
    visitor.wait_for_url(NEUTRAL_SITE)
    expect(visitor.locator("p")).to_have_text("Weather")
    left = text("nl", "The visitor left with quick exit.")
    expect(staff_status(staff)).to_contain_text(left, timeout=SOON_MS)
    staff.reload()
    expect(staff.locator("main [role=status]")).to_contain_text(left)
    assert visitor.context.cookies() == []


@pytest.mark.parametrize("lang", ["nl", "en"])
@JAVASCRIPT
def test_chat_pages_are_accessible(
    open_context: OpenContext,
    chat_server: LiveServer,
    tokens: list[str],
    lang: str,
    javascript: bool,
) -> None:
    """axe on every page of a chat: the visitor's entry page, waiting room, conversation and
    both frame documents, then the console, the counsellor's chat page and its frame document
    (the staff area has no language of its own: it is Dutch in every run).

    Without JavaScript the pages are served with `script-src 'none'` (as in test_pages.py), so
    that axe, injected by the driver, still runs.
    """
    problems = AxeProblems()
    staff = log_in_counsellor(open_context(), chat_server)
    make_available(staff)
    visitor = open_context().new_page()
    if not javascript:
        visitor.route(f"{chat_server.url}/{lang}/**", block_page_scripts)

    open_entry(visitor, chat_server, lang)
    problems.check(visitor, "entry page")
    first = f"axe {lang} {secrets.token_hex(3)}"
    start_chat(visitor, tokens, first)
    expect(queue_status(visitor, javascript)).to_have_text(re.compile(r"\b1$"), timeout=SOON_MS)
    problems.check(visitor, "waiting room")

    frame_doc = visitor.context.new_page()
    frame_doc.goto(f"{frame_address(visitor, chat_server)}?auto=0&queue=1")
    problems.check(frame_doc, "frame document, waiting")

    await_in_queue(staff, chat_server, first)
    problems.check(staff, "console")
    problems.check(staff.main_frame.child_frames[0], "console's frame, someone waiting")
    take_next(staff, chat_server, first)
    expect(staff_log(staff)).to_contain_text(first, timeout=SOON_MS)
    problems.check(staff, "counsellor's chat page")

    reach_conversation(visitor, javascript)
    send(staff, "Welcome.")
    expect(visitor_log(visitor, javascript)).to_contain_text("Welcome.", timeout=SOON_MS)
    problems.check(visitor, "conversation")
    frame_doc.goto(f"{frame_address(visitor, chat_server)}?auto=0")
    expect(frame_doc.locator(".chat__text")).to_have_count(2)
    problems.check(frame_doc, "frame document, conversation")
    expect(staff_log(staff).locator(".chat__text")).to_have_count(2)
    # In place: on its own, a long-polling top-level document is always "navigating".
    problems.check(staff.main_frame.child_frames[0], "counsellor's frame document")

    visitor.locator("form[action$='/chat/end'] button").click()
    expect(visitor.locator("h1")).to_have_text(text(lang, "The chat has ended"))
    problems.check(visitor, "chat ended")
    problems.assert_none()


@JAVASCRIPT
def test_typing_shows_on_both_sides_and_the_pages_stay_accessible(
    open_context: OpenContext, chat_server: LiveServer, tokens: list[str], javascript: bool
) -> None:
    """The counsellor types (their page has JavaScript): with JavaScript the visitor reads
    "the counsellor is typing", without it the frame says "a reply is coming". With
    JavaScript the visitor's typing reaches the counsellor's frame. Nothing typed is sent
    before "send": the typing requests carry only the token. axe on the changed pages.

    Without JavaScript the page's scripts are blocked (`script-src 'none'`, as in
    test_chat_pages_are_accessible), so that axe, injected by the driver, still runs.
    """
    problems = AxeProblems()
    staff = log_in_counsellor(open_context(), chat_server)
    make_available(staff)
    visitor_context = open_context()
    typing_bodies: list[str] = []
    visitor_context.on(
        "request",
        lambda request: (
            typing_bodies.append(request.post_data or "")
            if request.url.endswith("/chat/typing")
            else None
        ),
    )
    visitor = visitor_context.new_page()
    if not javascript:
        visitor.route(f"{chat_server.url}/nl/**", block_page_scripts)
    open_entry(visitor, chat_server, "nl")
    first = f"typing {secrets.token_hex(3)}"
    start_chat(visitor, tokens, first)
    take_next(staff, chat_server, first)
    reach_conversation(visitor, javascript)

    staff.locator("#chat-message").press_sequentially("Een moment, ik lees het", delay=120)
    if javascript:
        typing = visitor.locator(".chat__typing")
        expect(typing).to_have_text(text("nl", "The counsellor is typing…"), timeout=SOON_MS)
    else:
        frame = visitor.frame_locator("iframe.chat__frame")
        coming = frame.locator(".chat-frame__coming")
        expect(coming).to_have_text(text("nl", "A reply is coming."), timeout=SOON_MS)
    # The page before its frame: axe put into the frame first would judge both as one page.
    problems.check(visitor, "conversation, counsellor typing")
    if not javascript:
        problems.check(visitor.main_frame.child_frames[0], "frame, a reply is coming")

    if javascript:
        visitor.locator("#chat-message").press_sequentially("private draft words", delay=50)
        presence = staff.frame_locator("iframe.chat__frame").locator("[data-presence=typing]")
        expect(presence).to_have_text(text("nl", "The visitor is typing…"), timeout=SOON_MS)
        problems.check(staff, "counsellor's chat page, visitor typing")
        problems.check(staff.main_frame.child_frames[0], "counsellor's frame, visitor typing")
        assert typing_bodies, "the visitor's page sent no typing signal"
        assert all(body.startswith("token=") and "&" not in body for body in typing_bodies)
        assert not any("draft" in body for body in typing_bodies)
        assert len(typing_bodies) <= 2  # noqa: PLR2004 (throttled: about a second of typing)
    else:
        problems.check(staff, "counsellor's chat page")
    problems.assert_none()
