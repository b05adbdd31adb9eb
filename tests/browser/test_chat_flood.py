"""Issue 16, item 7, end to end: after a scripted flood of starts, a real visitor still gets in.

A script sends 25 starts in a row, each from a freshly fetched form, as fast as it can (it does
no proof of work: it runs no JavaScript). Before, that took the whole queue and every visitor
after it got "very busy". Now it holds Limits.unproven_waiting places, and a visitor in real
Chromium with JavaScript on (whose browser does the work, static/js/chat-start.js) reaches the
waiting room.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from app.chat.sqlite_store import SqliteChatStore
from app.chat.store import Limits
from tests.browser.conftest import DESKTOP
from tests.browser.test_chat import flask_cli
from tests.chat.web import ALWAYS_OPEN, START_KEY
from tests.live_server import LiveServer

pytestmark = pytest.mark.browser

COUNSELLOR = 9
FLOOD = 25


@pytest.fixture(scope="module")
def flood_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("chat-flood")
    with LiveServer(root, CHAT_STORE_URL=f"sqlite:///{root / 'chat.sqlite3'}") as live:
        hours = root / "always_open.json"
        hours.write_text(json.dumps(ALWAYS_OPEN))
        flask_cli(live, "hours", "import", str(hours))
        yield live


def scripted_start(server: LiveServer) -> int:
    with urllib.request.urlopen(server.url + "/nl/chat", timeout=10) as response:
        key = START_KEY.search(response.read().decode())
    assert key, "no start form"
    body = urllib.parse.urlencode({"start_key": key.group(1), "message": "flood"}).encode()
    try:
        with urllib.request.urlopen(server.url + "/nl/chat/start", body, timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_a_real_visitor_gets_in_after_a_scripted_flood(
    browser: Browser, flood_server: LiveServer
) -> None:
    store = SqliteChatStore(flood_server.root / "chat.sqlite3")
    store.set_available(COUNSELLOR, True, time.time())
    answers = [scripted_start(flood_server) for _ in range(FLOOD)]
    allowed = Limits().unproven_waiting
    assert answers.count(200) == allowed, answers
    assert len(store.queue(time.time())) == allowed  # a small share of max_waiting places

    context = browser.new_context(viewport=DESKTOP)
    try:
        visitor = context.new_page()
        visitor.goto(flood_server.url + "/nl/chat")
        visitor.fill("#chat-message", "I need to talk")
        visitor.locator("form.chat-start button[type=submit]").click()
        expect(visitor.locator("#chat[data-state=waiting]")).to_be_attached(timeout=60_000)
        position = visitor.locator(".chat__status")
        expect(position).to_have_text(re.compile(rf"\b{allowed + 1}$"), timeout=10_000)
    finally:
        context.close()
        for queued in store.queue(time.time()):
            store.end(queued.chat_id, "counsellor", time.time())
        store.set_available(COUNSELLOR, False, time.time())
        store.close()
