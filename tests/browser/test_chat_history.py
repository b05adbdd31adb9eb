"""Issue 16, item 1: no address a chat leaves in the browser's own files opens the conversation.

Chromium with a profile on disk (History, Sessions/, Tabs_ and the rest), JavaScript off, has a
chat: a first message, the counsellor's reply, one more from the visitor. Then every chat
address found anywhere in the profile's files is opened in a fresh browser. With the token in
the frame's path (as before) each of them showed the live conversation. Now the frames carry a
view pass that works for CHAT_VIEW_SECONDS (shortened here to a few seconds), so:

- a while into a running chat, once the passes found have expired, none of them opens anything;
- right after the chat ends, none of them opens anything either, without any waiting.

The counsellor's side goes through the real store file (the same one the server uses).
"""

from __future__ import annotations

import json
import re
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright, expect

from app.chat.sqlite_store import SqliteChatStore
from tests.browser.conftest import CHROMIUM_ARGS, DESKTOP, chromium_path
from tests.browser.test_chat import JOIN_MS, SOON_MS, flask_cli
from tests.chat.web import ALWAYS_OPEN
from tests.live_server import LiveServer

pytestmark = pytest.mark.browser

VIEW_SECONDS = 3
EXPIRY_TIMEOUT = 60.0  # generous: the passes expire after VIEW_SECONDS (whole seconds)
COUNSELLOR = 7
CHAT_ADDRESS = re.compile(r"/(?:nl|en)/chat/[A-Za-z0-9_\-.]+(?:/[a-z]+)?(?:\?[\w=&%.-]*)?")


@pytest.fixture(scope="module")
def history_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("chat-history")
    store = f"sqlite:///{root / 'chat.sqlite3'}"
    env = {"CHAT_STORE_URL": store, "CHAT_VIEW_SECONDS": str(VIEW_SECONDS)}
    with LiveServer(root, **env) as live:
        hours = root / "always_open.json"
        hours.write_text(json.dumps(ALWAYS_OPEN))
        flask_cli(live, "hours", "import", str(hours))
        yield live


@pytest.fixture
def store(history_server: LiveServer) -> Iterator[SqliteChatStore]:
    chat_store = SqliteChatStore(history_server.root / "chat.sqlite3")
    chat_store.set_available(COUNSELLOR, True, time.time())
    yield chat_store
    chat_store.set_available(COUNSELLOR, False, time.time())
    chat_store.close()


def persistent_profile(playwright: Playwright, folder: Path) -> BrowserContext:
    return playwright.chromium.launch_persistent_context(
        folder,
        executable_path=chromium_path(),
        args=CHROMIUM_ARGS,
        java_script_enabled=False,
        viewport=DESKTOP,
    )


def have_a_chat(
    profile: BrowserContext, server: LiveServer, store: SqliteChatStore, words: list[str]
) -> str:
    """A whole conversation without JavaScript; returns the chat's id (it still runs)."""
    visitor = profile.new_page()
    visitor.goto(server.url + "/nl/chat")
    expect(visitor.locator("form.chat-start")).to_be_visible()
    visitor.fill("#chat-message", words[0])
    visitor.locator("form.chat-start button[type=submit]").click()
    expect(visitor.locator("#chat[data-state=waiting]")).to_be_attached()
    frame = visitor.frame_locator("iframe.chat__frame")
    expect(frame.locator(".chat-frame__title")).to_have_text(re.compile(r"\b1$"), timeout=SOON_MS)
    info = store.claim_next(COUNSELLOR, time.time())
    assert info is not None
    store.post(info.chat_id, "counsellor", words[1], time.time(), by=COUNSELLOR)
    expect(frame.locator(".chat-frame__join")).to_be_visible(timeout=JOIN_MS)
    visitor.locator("form.chat__view button").click()
    visitor.fill("#chat-message", words[2])
    visitor.locator("form.chat__send button[type=submit]").click()
    log = visitor.frame_locator("iframe.chat__frame").locator(".chat__log")
    expect(log).to_contain_text(words[2], timeout=SOON_MS)
    return info.chat_id


def addresses_in(folder: Path, server: LiveServer) -> set[str]:
    """Every chat address in any file of the profile: History (SQLite, UTF-8), Sessions/ and
    Tabs_ (which keep a frame's address in UTF-16), and whatever else Chromium wrote."""
    found: set[str] = set()
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for text in (
                data.decode("latin-1"),
                data.decode("utf-16-le", "ignore"),
                data[1:].decode("utf-16-le", "ignore"),
            ):
                found.update(CHAT_ADDRESS.findall(text))
    return {server.url + address for address in found}


def status_of(address: str) -> int:
    try:
        with urllib.request.urlopen(address, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def assert_none_opens_the_chat(browser: Browser, addresses: set[str], words: list[str]) -> None:
    """Each address, opened in a fresh browser, shows no word of the chat and no log."""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        for address in sorted(addresses):
            page.goto(address)
            html = page.content()
            assert [word for word in words if word in html] == [], address
            assert "chat__log" not in html, address
    finally:
        context.close()


def chat_words() -> list[str]:
    mark = secrets.token_hex(4)
    return [f"first words {mark}", f"the counsellor {mark}", f"more words {mark}"]


def frame_addresses(addresses: set[str]) -> list[str]:
    frames = [address for address in addresses if "/frame" in address]
    assert frames, f"the profile holds no frame address: {sorted(addresses)}"
    return frames


def test_addresses_in_the_profile_open_nothing_once_the_chat_ended(
    playwright: Playwright,
    browser: Browser,
    tmp_path: Path,
    history_server: LiveServer,
    store: SqliteChatStore,
) -> None:
    words = chat_words()
    profile = persistent_profile(playwright, tmp_path / "profile")
    chat_id = have_a_chat(profile, history_server, store, words)
    profile.close()  # Chromium writes its history and session files
    store.end(chat_id, "counsellor", time.time(), by=COUNSELLOR)
    addresses = addresses_in(tmp_path / "profile", history_server)
    frame_addresses(addresses)
    assert_none_opens_the_chat(browser, addresses, words)


def test_addresses_in_the_profile_open_nothing_a_while_into_the_chat(
    playwright: Playwright,
    browser: Browser,
    tmp_path: Path,
    history_server: LiveServer,
    store: SqliteChatStore,
) -> None:
    words = chat_words()
    profile = persistent_profile(playwright, tmp_path / "profile")
    chat_id = have_a_chat(profile, history_server, store, words)
    profile.close()
    addresses = addresses_in(tmp_path / "profile", history_server)
    deadline = time.monotonic() + EXPIRY_TIMEOUT
    for address in frame_addresses(addresses):  # wait on the event itself: each one's expiry
        while status_of(address) != 404:
            assert time.monotonic() < deadline, f"still open after {EXPIRY_TIMEOUT} s: {address}"
            time.sleep(0.5)
    assert_none_opens_the_chat(browser, addresses, words)
    info = store.get(chat_id, time.time())
    assert info is not None
    assert info.state == "active"  # the chat runs on: only its old addresses are dead
    store.end(chat_id, "counsellor", time.time(), by=COUNSELLOR)


def test_with_javascript_the_stream_renews_its_pass_and_the_chat_goes_on(
    browser: Browser, history_server: LiveServer, store: SqliteChatStore
) -> None:
    """The browser would reconnect an event stream to its old address, expired by then; the
    script connects to the address the stream named last, and messages keep coming."""
    context = browser.new_context(viewport=DESKTOP)
    try:
        visitor = context.new_page()
        visitor.goto(history_server.url + "/nl/chat")
        words = chat_words()
        visitor.fill("#chat-message", words[0])
        with visitor.expect_request(lambda request: "/events" in request.url) as first:
            visitor.locator("form.chat-start button[type=submit]").click()
        info = store.claim_next(COUNSELLOR, time.time())
        assert info is not None
        expect(visitor.locator("form.chat__send")).to_be_visible(timeout=JOIN_MS)
        old = first.value.url
        renewed = visitor.wait_for_event(
            "request",
            lambda request: "/events" in request.url and "after=" in request.url,
            timeout=60_000,  # one stream lasts EVENTS_SECONDS (25 s), then the script renews
        )
        assert renewed.url != old
        store.post(info.chat_id, "counsellor", words[1], time.time(), by=COUNSELLOR)
        log = visitor.locator(".chat__live .chat__log")
        expect(log).to_contain_text(words[1], timeout=SOON_MS)
        expect(visitor.locator(".chat__status")).not_to_have_text(re.compile(".+"))
        store.end(info.chat_id, "counsellor", time.time(), by=COUNSELLOR)
    finally:
        context.close()
