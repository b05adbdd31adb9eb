"""Asking a colleague through the console, without JavaScript (test client, real SQLite file).

Proven here: a colleague who was not asked, or asked but not added as a reader, gets 404 or
403 for the chat; nothing of the side thread reaches any visitor-facing answer (the frame,
the room, the saved copy); adding a reader shows the visitor "a colleague is reading along"
(in Dutch and English); and every POST needs the CSRF token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app.chat.side_backends import side_threads_of
from app.chat.web import chat_store
from app.db import db
from app.staff.accounts import StaffUser
from tests.chat.test_flow import take_next
from tests.chat.web import chat_address, open_chat_app, start_chat
from tests.clock import Clock
from tests.staff.conftest import Account, StaffLogin, create_account

SIDE_NOTE = "Could you look at the safety plan with me?"
ANSWER = "Ask whether a child is at risk right now."
READING_NL = "Een collega leest mee en kan dit gesprek zien."
READING_EN = "A colleague is reading along and can see this conversation."


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return open_chat_app(tmp_path)


@dataclass
class Member:
    login: StaffLogin
    account: Account
    id: int

    @property
    def client(self) -> FlaskClient:
        return self.login.client

    def post(self, url: str, data: dict[str, str], form_url: str) -> TestResponse:
        response: TestResponse = self.login.post(url, data, form_url)
        return response


def available_staff(app: Flask, clock: Clock, username: str) -> Member:
    account = create_account(app, username)
    login = StaffLogin(app.test_client(), clock)
    login.login(account)
    login.post("/staff/chat/available", {"available": "1"}, form_url="/staff/chat")
    with app.app_context():
        user = db.session.query(StaffUser).filter_by(username=username).one()
        return Member(login, account, user.id)


@pytest.fixture
def team(app: Flask, clock: Clock) -> dict[str, Member]:
    return {name: available_staff(app, clock, f"{name}.one") for name in ("mine", "asked", "other")}


def visitor_answers(visitor: FlaskClient, token: str) -> str:
    """Everything a visitor can get about their chat, in both languages, as one text."""
    answers = [visitor.post(f"/{lang}/chat/view", data={"token": token}) for lang in ("nl", "en")]
    answers += [visitor.get(f"{chat_address(visitor, token, lang)}/frame") for lang in ("nl", "en")]
    answers.append(visitor.post("/nl/chat/copy", data={"token": token}))
    assert all(answer.status_code == 200 for answer in answers)
    return "\n".join(answer.get_data(as_text=True) for answer in answers)


def shown_events(answers: str) -> list[str]:
    """The system messages the visitor is shown: in the frame's log, and in the saved copy
    (the room page also holds the texts for its script, which shows nothing by itself)."""
    in_logs = re.findall(r'class="chat__who">([^<]*)<', answers)
    return in_logs + re.findall(r"^\[\d\d:\d\d\] (.*)$", answers, re.MULTILINE)


def test_asking_a_colleague_and_adding_them_as_a_reader(
    app: Flask, team: dict[str, Member]
) -> None:
    mine, asked, other = team["mine"], team["asked"], team["other"]
    visitor = app.test_client()
    token = start_chat(visitor, message="I am scared of my own thoughts")
    chat_id = take_next(mine)
    chat_page = f"/staff/chat/{chat_id}"
    for path in (chat_page, f"{chat_page}/frame", f"{chat_page}/side", f"{chat_page}/read/frame"):
        assert asked.client.get(path).status_code == 404, path  # not asked yet

    assert mine.post(f"{chat_page}/ask", {"to": str(asked.id)}, chat_page).status_code == 302
    assert f'href="{chat_page}/side"' in asked.client.get("/staff/chat/overview").get_data(
        as_text=True
    )
    assert f"{chat_page}/side" not in other.client.get("/staff/chat/overview").get_data(
        as_text=True
    )
    assert asked.client.get(f"{chat_page}/side").status_code == 200
    for path in (chat_page, f"{chat_page}/frame"):
        assert asked.client.get(path).status_code == 404, path  # asked, still not the chat's
    assert asked.client.get(f"{chat_page}/read/frame").status_code == 403  # asked, not added
    side_page = asked.client.get(f"{chat_page}/side").get_data(as_text=True)
    assert "I am scared" not in side_page  # the colleague sees nothing of the conversation

    mine.post(f"{chat_page}/side/send", {"message": SIDE_NOTE}, chat_page)
    asked.post(f"{chat_page}/side/send", {"message": ANSWER}, f"{chat_page}/side")
    for login in (mine, asked):
        side_frame = login.client.get(f"{chat_page}/side/frame").get_data(as_text=True)
        assert re.findall(r'class="chat__text">([^<]*)<', side_frame) == [SIDE_NOTE, ANSWER]
    for path in ("/side", "/side/frame", "/read/frame"):
        assert other.client.get(chat_page + path).status_code == 404, path
    for path, data in (("/side/send", {"message": "hi"}), ("/reader", {})):
        assert other.post(chat_page + path, data, "/staff/chat").status_code == 404, path
    assert asked.post(f"{chat_page}/reader", {}, f"{chat_page}/side").status_code == 404

    before = visitor_answers(visitor, token)
    assert SIDE_NOTE not in before
    assert ANSWER not in before
    assert READING_NL not in shown_events(before)

    mine.post(f"{chat_page}/reader", {}, chat_page)
    after = visitor_answers(visitor, token)
    assert READING_NL in shown_events(after)
    assert READING_EN in shown_events(after)
    assert SIDE_NOTE not in after
    assert ANSWER not in after
    reading = asked.client.get(f"{chat_page}/read/frame")
    assert reading.status_code == 200
    assert "I am scared of my own thoughts" in reading.get_data(as_text=True)
    assert 'name="message"' not in reading.get_data(as_text=True)  # a reader does not write
    assert asked.post(f"{chat_page}/send", {"message": "hello"}, "/staff/chat").status_code == 404

    visitor.post("/nl/chat/end", data={"token": token})
    for path in ("/side", "/side/frame", "/read/frame"):
        assert asked.client.get(chat_page + path).status_code == 404, path
    assert f'href="{chat_page}/side"' not in asked.client.get("/staff/chat/overview").get_data(
        as_text=True
    )


def test_every_side_thread_post_needs_the_csrf_token(app: Flask, team: dict[str, Member]) -> None:
    mine, asked = team["mine"], team["asked"]
    start_chat(app.test_client())
    chat_id = take_next(mine)
    forged = {"ask": {"to": str(asked.id)}, "side/send": {"message": SIDE_NOTE}, "reader": {}}
    for action, data in forged.items():
        response = mine.client.post(f"/staff/chat/{chat_id}/{action}", data=data)
        assert response.status_code == 400, action
        mine.login.login(mine.account)  # a CSRF failure logs out; back in for the next one
    with app.app_context():
        assert side_threads_of(chat_store()).find(chat_id) is None
    mine.post(f"/staff/chat/{chat_id}/ask", {"to": str(asked.id)}, f"/staff/chat/{chat_id}")
    for action, data in forged.items():
        response = asked.client.post(f"/staff/chat/{chat_id}/{action}", data=data)
        assert response.status_code == 400, action
        asked.login.login(asked.account)
    with app.app_context():
        thread = side_threads_of(chat_store()).find(chat_id)
        assert thread is not None
        assert (thread.last_seq, thread.reading) == (0, False)


@pytest.mark.parametrize("too_long", [True, False], ids=["too-long", "empty"])
def test_a_refused_side_message_comes_back_with_its_text(
    app: Flask, team: dict[str, Member], too_long: bool
) -> None:
    mine, asked = team["mine"], team["asked"]
    start_chat(app.test_client())
    chat_id = take_next(mine)
    chat_page = f"/staff/chat/{chat_id}"
    mine.post(f"{chat_page}/ask", {"to": str(asked.id)}, chat_page)
    with app.app_context():
        limit = chat_store().limits.message_max_chars
    typed = "x" * (limit + 1) if too_long else "   "
    for member, page in ((mine, chat_page), (asked, f"{chat_page}/side")):
        response = member.post(f"{chat_page}/side/send", {"message": typed}, page)
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert 'id="side-error"' in html
        assert f'aria-describedby="side-error">{typed}</textarea>' in html
    with app.app_context():
        assert side_threads_of(chat_store()).find(chat_id).last_seq == 0  # type: ignore[union-attr]


def test_a_frame_that_timed_out_polls_again_at_a_new_address(
    app: Flask, team: dict[str, Member]
) -> None:
    """A poll that times out answers with the same cursor; a meta refresh to the document's
    own address plus #latest would only jump within the page and the frame would stop."""
    mine, asked = team["mine"], team["asked"]
    start_chat(app.test_client())
    chat_id = take_next(mine)
    chat_page = f"/staff/chat/{chat_id}"
    mine.post(f"{chat_page}/ask", {"to": str(asked.id)}, chat_page)
    mine.post(f"{chat_page}/reader", {}, chat_page)
    app.config["CHAT_LONG_POLL_SECONDS"] = 0.1
    for frame, cursor in ((f"{chat_page}/side/frame", 0), (f"{chat_page}/read/frame", 3)):
        addresses = []
        for turn in ("", "1", "0"):
            query = {"after": str(cursor), "turn": turn} if turn else {}
            html = asked.client.get(frame, query_string=query).get_data(as_text=True)
            [address] = re.findall(r'http-equiv="refresh" content="0; url=([^"#]+)#latest"', html)
            addresses.append((turn, address.replace("&amp;", "&")))
        assert [a.endswith(f"after={cursor}&turn=1") for _, a in addresses] == [True, False, True]
        assert addresses[1][1].endswith(f"after={cursor}&turn=0")


def test_a_shift_lead_on_duty_can_be_asked_and_sees_it_on_the_board(
    app: Flask, clock: Clock
) -> None:
    """Issue 13: "to another available counsellor or the shift lead". A shift lead watching
    the board is not available for chats, yet can be asked, and the board links the request;
    a colleague who is neither available nor a shift lead on duty cannot be asked."""
    mine = available_staff(app, clock, "mine.one")
    lead_account = create_account(app, "lead.one", shift_lead=True)
    lead = StaffLogin(app.test_client(), clock)
    lead.login(lead_account)
    idle_account = create_account(app, "idle.one")
    idle = StaffLogin(app.test_client(), clock)
    idle.login(idle_account)
    with app.app_context():
        ids = {
            name: id_
            for name, id_ in db.session.execute(db.select(StaffUser.username, StaffUser.id))
        }
    start_chat(app.test_client(), message="Is this normal?")
    chat_id = take_next(mine)
    chat_page = f"/staff/chat/{chat_id}"
    page = mine.client.get(chat_page).get_data(as_text=True)
    assert f'value="{ids["lead.one"]}"' in page
    assert f'value="{ids["idle.one"]}"' not in page
    refused = mine.post(f"{chat_page}/ask", {"to": str(ids["idle.one"])}, chat_page)
    assert refused.status_code == 302
    assert f"{chat_page}/side" not in idle.client.get("/staff/chat/overview").get_data(as_text=True)

    assert mine.post(f"{chat_page}/ask", {"to": str(ids["lead.one"])}, chat_page).status_code == 302
    board = lead.client.get("/staff/board/frame").get_data(as_text=True)
    assert f'href="{chat_page}/side"' in board
    assert lead.client.get(f"{chat_page}/side").status_code == 200
    assert "Is this normal?" not in lead.client.get(f"{chat_page}/side").get_data(as_text=True)
