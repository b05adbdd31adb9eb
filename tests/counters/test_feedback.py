"""The visitor's two questions after a chat: optional, one POST, counted once, never stored."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app import clock as site_clock
from app.chat.store import EndReason
from app.chat.tokens import new_token, token_hash
from app.chat.web import chat_store, stream_slots
from app.public.chat_feedback import key_after_end
from tests.chat.web import chat_address, open_chat_app, start_chat
from tests.counters.helpers import counted
from tests.html_check import html_errors
from tests.staff.conftest import StaffLogin

KEY = re.compile(r'name="feedback_key" value="([^"]+)"')


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    """An open chat with a counsellor available (marked in the real chat store)."""
    app = open_chat_app(tmp_path)
    with app.app_context():
        chat_store().set_available(1, True, site_clock.seconds())
    return app


def ended_page(visitor: FlaskClient) -> str:
    token = start_chat(visitor)
    page = visitor.post("/nl/chat/end", data={"token": token})
    assert page.status_code == 200
    return page.get_data(as_text=True)


def feedback_key(page: str) -> str:
    match = KEY.search(page)
    assert match, "no feedback form on the ended page"
    return match.group(1)


def test_answers_are_counted_once_and_resubmitting_counts_nothing(app: Flask) -> None:
    visitor = app.test_client()
    data = {"feedback_key": feedback_key(ended_page(visitor)), "helped": "yes", "again": "no"}
    assert visitor.post("/nl/chat/feedback", data=data).status_code == 200
    assert visitor.post("/nl/chat/feedback", data=data).status_code == 200  # Back, resubmit
    found = counted(app)
    assert found[("feedback_helped", "yes")] == 1
    assert found[("feedback_again", "no")] == 1
    assert not list(visitor._cookies)  # noqa: SLF001


def test_both_questions_are_optional(app: Flask) -> None:
    visitor = app.test_client()
    data = {"feedback_key": feedback_key(ended_page(visitor)), "again": "a_little"}
    assert visitor.post("/en/chat/feedback", data=data).status_code == 200
    assert ("feedback_again", "a_little") in counted(app)
    assert not any(metric == "feedback_helped" for metric, _bucket in counted(app))


def test_a_made_up_form_counts_nothing(app: Flask) -> None:
    visitor = app.test_client()
    data = {"feedback_key": "made-up", "helped": "yes"}
    assert visitor.post("/nl/chat/feedback", data=data).status_code == 200
    assert not any(metric.startswith("feedback") for metric, _bucket in counted(app))


def test_an_answer_not_offered_gets_a_clear_error(app: Flask) -> None:
    visitor = app.test_client()
    data = {"feedback_key": feedback_key(ended_page(visitor)), "helped": "<b>free text</b>"}
    response = visitor.post("/nl/chat/feedback", data=data)
    assert response.status_code == 400
    assert "free text" not in response.get_data(as_text=True)
    assert KEY.search(response.get_data(as_text=True))
    assert not any(metric.startswith("feedback") for metric, _bucket in counted(app))


def test_quick_exit_never_shows_the_questions(app: Flask) -> None:
    visitor = app.test_client()
    response = visitor.post("/nl/chat/exit", data={"token": start_chat(visitor)})
    assert response.status_code == 303
    assert "feedback" not in response.get_data(as_text=True)


def take_and_wait_in_the_frame(
    app: Flask, counsellor: StaffLogin
) -> tuple[str, Callable[[], TestResponse]]:
    """A visitor whose chat a counsellor took; returns the chat id and a function that ends
    the frame's long poll (call it after ending the chat) and gives the frame's answer."""
    app.config["CHAT_LONG_POLL_SECONDS"] = 30
    visitor = app.test_client()
    token = start_chat(visitor)
    taken = counsellor.post("/staff/chat/take", {}, form_url="/staff/chat")
    chat_id = taken.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        slots = stream_slots()
    answer: dict[str, TestResponse] = {}
    frame_url = f"{chat_address(visitor, token)}/frame?after=2"
    waiter = threading.Thread(target=lambda: answer.update(page=app.test_client().get(frame_url)))
    waiter.start()
    deadline = time.monotonic() + 30
    while slots.open == 0:  # the frame is now waiting in its long poll
        assert time.monotonic() < deadline, "the frame never started waiting"
        time.sleep(0.02)

    def frame_answer() -> TestResponse:
        waiter.join(timeout=30)
        assert not waiter.is_alive(), "the frame did not answer when the chat ended"
        return answer["page"]

    return chat_id, frame_answer


def test_the_frame_asks_after_the_counsellor_ended_the_chat(
    app: Flask, counsellor: StaffLogin
) -> None:
    """Without JavaScript: the frame that was waiting shows the questions, whose one POST
    (opened in the whole window) counts."""
    chat_id, frame_answer = take_and_wait_in_the_frame(app, counsellor)
    counsellor.post(f"/staff/chat/{chat_id}/end", {}, f"/staff/chat/{chat_id}")
    page = frame_answer()
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'target="_top"' in html
    assert html_errors({"frame, ended by the counsellor": page.data}) == []
    visitor = app.test_client()
    data = {"feedback_key": feedback_key(html), "helped": "a_little"}
    assert visitor.post("/nl/chat/feedback", data=data).status_code == 200
    assert counted(app)[("feedback_helped", "a_little")] == 1


def test_the_frame_never_asks_after_quick_exit(app: Flask, counsellor: StaffLogin) -> None:
    """A frame still waiting when the visitor left with quick exit (a page brought back by
    Back or a restored tab) shows no questions."""
    chat_id, frame_answer = take_and_wait_in_the_frame(app, counsellor)
    with app.app_context():
        chat_store().end(chat_id, "quick_exit", site_clock.seconds())
    page = frame_answer()
    assert page.status_code == 404
    assert not KEY.search(page.get_data(as_text=True))


def ended_event(app: Flask, counsellor: StaffLogin, end: Callable[[str], object]) -> dict[str, Any]:
    """The event stream's last `state` event after `end(chat_id)` ended a taken chat while
    the stream ran (the test client runs the stream in this thread, one event at a time)."""
    visitor = app.test_client()
    token = start_chat(visitor)
    taken = counsellor.post("/staff/chat/take", {}, form_url="/staff/chat")
    chat_id = taken.headers["Location"].rsplit("/", 1)[1]
    stream = visitor.get(f"{chat_address(visitor, token)}/events", buffered=False)
    chunks = iter(stream.response)
    received = ""
    while "event: state" not in received:
        received += next(chunks).decode()
    end(chat_id)
    for chunk in chunks:
        received += chunk.decode()
    stream.close()
    states = re.findall(r"event: state\ndata: (.*)\n", received)
    state: dict[str, Any] = json.loads(states[-1])
    return state


def test_the_event_stream_sends_a_key_after_the_counsellor_ended_the_chat(
    app: Flask, counsellor: StaffLogin
) -> None:
    """With JavaScript: the `ended` state carries the form key chat.js puts in the questions."""

    def by_counsellor(chat_id: str) -> None:
        counsellor.post(f"/staff/chat/{chat_id}/end", {}, f"/staff/chat/{chat_id}")

    state = ended_event(app, counsellor, by_counsellor)
    assert state["state"] == "ended"
    data = {"feedback_key": state["feedback"], "again": "yes"}
    assert app.test_client().post("/en/chat/feedback", data=data).status_code == 200
    assert counted(app)[("feedback_again", "yes")] == 1


def test_the_event_stream_sends_no_key_after_quick_exit(app: Flask, counsellor: StaffLogin) -> None:
    def quick_exit(chat_id: str) -> None:
        with app.app_context():
            chat_store().end(chat_id, "quick_exit", site_clock.seconds())

    state = ended_event(app, counsellor, quick_exit)
    assert state == {"state": "ended", "position": None, "feedback": None}


@pytest.mark.parametrize(
    ("reason", "asked"),
    [
        ("counsellor", True),
        ("blocked", True),
        ("idle", True),
        ("quick_exit", False),
        ("visitor", False),
        ("dropped", False),
    ],
)
def test_which_ends_are_asked_about(app: Flask, reason: EndReason, asked: bool) -> None:
    with app.test_request_context("/nl/chat"):
        store = chat_store()
        info = store.open(token_hash(new_token()), "", "", site_clock.seconds())
        if reason != "dropped":
            store.claim_next(1, site_clock.seconds())
        store.end(info.chat_id, reason, site_clock.seconds())
        assert (key_after_end(info.chat_id) is not None) is asked
        store.dismiss(info.chat_id, 1)  # no tombstone: how it ended is unknown, so never asked
        assert key_after_end(info.chat_id) is None
