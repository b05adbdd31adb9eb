"""The visitor's two questions after a chat: optional, one POST, counted once, never stored."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import clock as site_clock
from app.chat.web import chat_store
from tests.chat.web import open_chat_app, start_chat
from tests.counters.helpers import counted

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
