"""Asking a colleague inside a running chat, in real Chromium against real gunicorn.

With JavaScript off and on: a counsellor in a chat asks an available colleague, the colleague
finds the question in their console and answers in the side thread, the visitor sees none of
it; the counsellor then lets the colleague read along, and the visitor sees "a colleague is
reading along" before the colleague sees a word of the chat. axe finds nothing on the pages
and frames of either counsellor (in the run with JavaScript on: the driver's axe needs script,
and the staff pages are the same documents either way).
"""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import Frame, FrameLocator, Page, expect

from tests.browser.test_chat import (  # noqa: F401  (fixtures: chat_server, open_context, tokens)
    JAVASCRIPT,
    SOON_MS,
    AxeProblems,
    OpenContext,
    begin_conversation,
    chat_server,
    log_in_counsellor,
    make_available,
    open_context,
    overview,
    text,
    tokens,
    visitor_log,
)
from tests.live_server import LiveServer

pytestmark = pytest.mark.browser

READING = "A colleague is reading along and can see this conversation."


def side_frame(page: Page) -> FrameLocator:
    return page.frame_locator("iframe.side__frame:not(.side__frame--reading)")


def send_aside(page: Page, message: str) -> None:
    page.fill("#side-message", message)
    page.locator("form.side__send button[type=submit]").click()


def check_with_frames(axe: AxeProblems, page: Page, where: str) -> None:
    axe.check(page, where)
    for frame in page.frames[1:]:
        axe.check(frame, f"{where}: frame {frame.url.split('/staff/chat/', 1)[-1]}")


def assert_unseen(visitor: Page, javascript: bool, *texts: str) -> None:
    for unseen in texts:
        expect(visitor_log(visitor, javascript)).not_to_contain_text(unseen)


class NoAxe(AxeProblems):
    """With JavaScript off in the browser the driver cannot run axe in the page at all."""

    def check(self, page: Page | Frame, where: str) -> None:
        return None


@JAVASCRIPT
def test_a_colleague_is_asked_answers_and_reads_along_once_the_visitor_is_told(
    open_context: OpenContext,  # noqa: F811
    chat_server: LiveServer,  # noqa: F811
    tokens: list[str],  # noqa: F811
    javascript: bool,
) -> None:
    axe = AxeProblems() if javascript else NoAxe()
    asked = f"colleague.{secrets.token_hex(4)}"
    colleague = log_in_counsellor(open_context(java_script_enabled=javascript), chat_server, asked)
    make_available(colleague)
    first = f"I keep thinking about it {secrets.token_hex(3)}"
    staff, visitor = begin_conversation(open_context, chat_server, tokens, javascript, first)

    panel = staff.locator("section[aria-labelledby=side-title]")
    panel.locator("select[name=to]").select_option(label=asked)
    axe.check(staff, "the counsellor's chat page, before asking")
    panel.locator("form[action$='/ask'] button").click()
    note = f"Could you help me with this one? {secrets.token_hex(3)}"
    send_aside(staff, note)
    expect(side_frame(staff).locator(".chat__log")).to_contain_text(note, timeout=SOON_MS)

    colleague.goto(chat_server.url + "/staff/chat", wait_until="domcontentloaded")
    ask = overview(colleague).locator("a[href$='/side']")
    expect(ask).to_be_visible(timeout=SOON_MS)
    check_with_frames(axe, colleague, "the colleague's console")
    ask.click()
    colleague.wait_for_url(re.compile(r"/staff/chat/[^/]+/side$"), wait_until="domcontentloaded")
    expect(side_frame(colleague).locator(".chat__log")).to_contain_text(note, timeout=SOON_MS)
    expect(colleague.locator("main")).not_to_contain_text(first)  # no sight of the chat yet
    assert colleague.locator("iframe.side__frame--reading").count() == 0
    answer = f"Ask about the next few hours {secrets.token_hex(3)}"
    send_aside(colleague, answer)
    expect(side_frame(staff).locator(".chat__log")).to_contain_text(answer, timeout=SOON_MS)
    axe.check(colleague, "the colleague's side-thread page")
    axe.check(staff, "the counsellor's chat page, with a side thread")

    reading = text("nl", READING)
    assert_unseen(visitor, javascript, note, answer, reading)

    panel.locator("form[action$='/reader'] button").click()
    expect(visitor_log(visitor, javascript)).to_contain_text(reading, timeout=SOON_MS)
    colleague.reload(wait_until="domcontentloaded")  # frames long-poll: no "load"
    read = colleague.frame_locator("iframe.side__frame--reading").locator(".chat__log")
    expect(read).to_contain_text(first, timeout=SOON_MS)
    expect(read).to_contain_text(reading)
    check_with_frames(axe, colleague, "the colleague's page, reading along")
    check_with_frames(axe, staff, "the counsellor's page, colleague reading along")
    assert_unseen(visitor, javascript, note, answer)

    visitor.locator("form[action$='/chat/end'] button").click()
    expect(visitor.locator("h1")).to_have_text(text("nl", "The chat has ended"))
    reading_frame = colleague.frame_locator("iframe.side__frame--reading")
    expect(reading_frame.locator(".chat-frame__ended")).to_be_visible(timeout=SOON_MS)
    expect(read).to_have_count(0)
    colleague.goto(chat_server.url + "/staff/chat", wait_until="domcontentloaded")
    expect(overview(colleague).locator("a[href$='/side']")).to_have_count(0, timeout=SOON_MS)
    axe.assert_none()
