"""The shift lead's board, the counsellor's wrap-up and the visitor's questions after a chat the
counsellor ended, in real Chromium against real gunicorn, with JavaScript off and on.

- the board updates by itself when a chat starts (its frame long-polls; no script needed);
- when the counsellor ends a chat, the counsellor gets the wrap-up and the visitor the two
  optional questions (in the frame without JavaScript, on the page with it), each one POST;
- axe finds nothing on the board, the wrap-up, or the questions (frame and page).

Every context comes from test_chat's `open_context`, which takes its route handlers down before
closing: a long-poll still inside a handler would otherwise hold the close (and the test) up.
"""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import FrameLocator, Locator, Page, expect

from tests.browser.test_chat import (
    JAVASCRIPT,
    JOIN_MS,
    SOON_MS,
    AxeProblems,
    OpenContext,
    begin_conversation,
    chat_server,
    log_in_counsellor,
    make_available,
    open_context,
    open_entry,
    reach_conversation,
    start_chat,
    take_next,
    text,
    tokens,
)
from tests.browser.test_pages import block_page_scripts
from tests.live_server import LiveServer

pytestmark = pytest.mark.browser
__all__ = ["chat_server", "open_context", "tokens"]  # fixtures, used by name


def board(page: Page, server: LiveServer) -> FrameLocator:
    """The board (the account is an admin: admins see it too), and its long-polling frame."""
    page.goto(server.url + "/staff/board")
    return page.frame_locator("iframe.chat__frame--board")


def end_by_counsellor(staff: Page) -> None:
    staff.locator("form[action$='/end'] button").click()
    expect(staff.locator("form.wrapup")).to_be_visible()


def visitor_questions(visitor: Page, javascript: bool) -> Locator:
    """The questions after the end: on the page (the script shows them) or in the frame."""
    if javascript:
        return visitor.locator("#chat form.chat-feedback")
    return visitor.frame_locator("iframe.chat__frame").locator("form.chat-feedback")


@JAVASCRIPT
def test_the_board_updates_itself_when_a_chat_starts(
    open_context: OpenContext, chat_server: LiveServer, tokens: list[str], javascript: bool
) -> None:
    lead_context = open_context(java_script_enabled=javascript)
    staff = log_in_counsellor(lead_context, chat_server)
    make_available(staff)  # the console stays open in this tab: the chat is open
    numbers = board(lead_context.new_page(), chat_server)
    waiting = numbers.locator("#board-waiting")
    expect(waiting).to_have_text(re.compile(r"^\d+$"), timeout=SOON_MS)
    before = int(waiting.inner_text())
    of = text("nl", "%(n)s of %(max)s") % {"n": 0, "max": 3}
    expect(numbers.locator("#board-loads")).to_contain_text(of)

    visitor = open_context(java_script_enabled=javascript).new_page()
    open_entry(visitor, chat_server, "nl")
    first = f"board {secrets.token_hex(3)}"
    start_chat(visitor, tokens, first)
    expect(waiting).to_have_text(str(before + 1), timeout=JOIN_MS)
    expect(numbers.locator("main")).not_to_contain_text(first)  # numbers only


@JAVASCRIPT
def test_after_the_counsellor_ends_a_chat_both_sides_get_their_questions(
    open_context: OpenContext, chat_server: LiveServer, tokens: list[str], javascript: bool
) -> None:
    """The counsellor saves a wrap-up; the visitor, still on the chat page, answers the two
    questions (one POST) and is thanked."""
    first = f"feedback {secrets.token_hex(3)}"
    staff, visitor = begin_conversation(open_context, chat_server, tokens, javascript, first)
    end_by_counsellor(staff)

    questions = visitor_questions(visitor, javascript)
    expect(questions).to_be_visible(timeout=JOIN_MS)
    questions.locator("#feedback-helped-yes").check()
    questions.locator("button[type=submit]").click()
    expect(visitor.locator("h1")).to_have_text(text("nl", "Thank you"), timeout=SOON_MS)

    staff.locator("#wrapup-who-themselves").check()
    staff.locator("#wrapup-topic-thoughts").check()
    staff.locator("form.wrapup button[type=submit]").click()
    staff.wait_for_url("**/staff/chat")
    thanks = text("nl", "Thank you. The wrap-up is counted; nothing links it to this chat.")
    expect(staff.locator("main [role=status]")).to_contain_text(thanks)


@JAVASCRIPT
def test_board_wrapup_and_questions_are_accessible(
    open_context: OpenContext, chat_server: LiveServer, tokens: list[str], javascript: bool
) -> None:
    """axe on the board and its frame, the wrap-up, and the visitor's questions. Without
    JavaScript the visitor's pages come with `script-src 'none'` (as in test_chat.py), so that
    axe, injected by the driver, still runs."""
    problems = AxeProblems()
    staff = log_in_counsellor(open_context(), chat_server)
    make_available(staff)
    lead = staff.context.new_page()
    expect(board(lead, chat_server).locator("#board-today")).to_be_visible(timeout=SOON_MS)
    problems.check(lead, "board")
    problems.check(lead.main_frame.child_frames[0], "board's frame")

    visitor = open_context().new_page()
    if not javascript:
        visitor.route(f"{chat_server.url}/nl/**", block_page_scripts)
    first = f"axe board {secrets.token_hex(3)}"
    open_entry(visitor, chat_server, "nl")
    start_chat(visitor, tokens, first)
    take_next(staff, chat_server, first)
    reach_conversation(visitor, javascript)
    end_by_counsellor(staff)
    problems.check(staff, "wrap-up")
    expect(visitor_questions(visitor, javascript)).to_be_visible(timeout=JOIN_MS)
    where = visitor if javascript else visitor.main_frame.child_frames[0]
    problems.check(where, "questions after the counsellor's end")
    problems.assert_none()
