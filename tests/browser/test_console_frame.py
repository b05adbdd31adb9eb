"""The counsellor's conversation frame keeps polling while nothing happens, in real Chromium.

A poll that times out answers with the same cursor. If the frame's refresh then named its own
address plus `#latest`, the browser would only jump within the page, and the frame would stop
updating: the counsellor would miss the visitor's next message. Polls are one second here, so
several time out before the visitor writes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.test_chat import (  # noqa: F401  (fixture: open_context)
    SOON_MS,
    OpenContext,
    begin_conversation,
    flask_cli,
    open_context,
    send,
    staff_log,
)
from tests.chat.web import ALWAYS_OPEN
from tests.live_server import LiveServer

pytestmark = pytest.mark.browser

CONVERSATION_FRAME = re.compile(r"/staff/chat/[^/]+/frame\?")
TIMED_OUT_POLLS = 3


@pytest.fixture(scope="module")
def quick_polls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("console-frame")
    store = f"sqlite:///{root / 'chat.sqlite3'}"
    with LiveServer(root, CHAT_STORE_URL=store, CHAT_LONG_POLL_SECONDS="1") as live:
        hours = root / "always_open.json"
        hours.write_text(json.dumps(ALWAYS_OPEN))
        flask_cli(live, "hours", "import", str(hours))
        yield live


def test_the_conversation_frame_keeps_polling_after_polls_time_out(
    open_context: OpenContext,  # noqa: F811
    quick_polls: LiveServer,
) -> None:
    tokens: list[str] = []
    staff, visitor = begin_conversation(open_context, quick_polls, tokens, False, "hello there")
    for _ in range(TIMED_OUT_POLLS):  # each one a poll that answered "nothing new"
        with staff.expect_request(
            lambda request: CONVERSATION_FRAME.search(request.url) is not None, timeout=SOON_MS
        ):
            pass
    send(visitor, "a message after a quiet while")
    expect(staff_log(staff)).to_contain_text("a message after a quiet while", timeout=SOON_MS)
