"""Each event is counted once, where it happens, and a counter failure breaks no page."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.chat.web import chat_store
from app.counters.store import DailyCounter
from app.db import db
from tests.chat.web import open_chat_app, start_chat, start_form
from tests.counters.helpers import counted
from tests.messages.conftest import leave_message
from tests.staff.conftest import Clock, StaffLogin, create_account


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return open_chat_app(tmp_path)


def take_next(counsellor: StaffLogin) -> str:
    response = counsellor.post("/staff/chat/take", {}, form_url="/staff/chat")
    return response.headers["Location"].rsplit("/", 1)[1]


def test_a_chat_refused_while_nobody_is_available_counts_as_no_counsellor(
    app: Flask,
) -> None:
    visitor = app.test_client()
    assert visitor.post("/nl/chat/start", data={"message": "hallo"}).status_code == 409
    assert counted(app) == {("chat_requested", "all"): 1, ("chat_turned_away", "no_counsellor"): 1}


def test_a_chat_refused_outside_the_hours_counts_as_closed(tmp_path: Path) -> None:
    app = open_chat_app(tmp_path)
    with app.app_context():
        from app.hours.schedule_json import parse_schedule
        from app.hours.store import save_schedule
        from tests.chat.web import ALWAYS_OPEN

        closed = {
            **ALWAYS_OPEN,
            "channels": {
                name: {**channel, "weekly": {}}
                for name, channel in ALWAYS_OPEN["channels"].items()  # type: ignore[attr-defined]
            },
        }
        save_schedule(db.session, parse_schedule(closed), None)
    app.test_client().post("/nl/chat/start", data={"message": "hallo"})
    assert counted(app)[("chat_turned_away", "closed")] == 1


def test_a_full_queue_counts_as_turned_away(tmp_path: Path, clock: Clock) -> None:
    app = open_chat_app(tmp_path, max_waiting=1)
    login = StaffLogin(app.test_client(), clock)
    login.login(create_account(app, "counsellor.one"))
    login.post("/staff/chat/available", {"available": "1"}, form_url="/staff/chat")
    start_chat(app.test_client())
    visitor = app.test_client()
    assert visitor.post("/nl/chat/start", data=start_form(visitor)).status_code == 503
    assert counted(app) == {
        ("chat_requested", "all"): 2,
        ("chat_started", "all"): 1,
        ("chat_turned_away", "queue_full"): 1,
    }


def test_an_answered_chat_counts_its_start_answer_end_and_length(
    app: Flask, counsellor: StaffLogin
) -> None:
    visitor = app.test_client()
    token = start_chat(visitor)
    chat_id = take_next(counsellor)
    counsellor.post(f"/staff/chat/{chat_id}/end", {}, f"/staff/chat/{chat_id}")
    visitor.post("/nl/chat/end", data={"token": token})  # already ended: not counted again
    assert counted(app) == {
        ("chat_requested", "all"): 1,
        ("chat_started", "all"): 1,
        ("chat_answered", "all"): 1,
        ("chat_ended", "counsellor"): 1,
        ("chat_length", "under_5_min"): 1,
    }


def test_waiting_chats_the_visitor_leaves_count_as_given_up_by_wait(
    app: Flask, counsellor: StaffLogin, clock: Clock
) -> None:
    first, second = app.test_client(), app.test_client()
    ended = first.post("/nl/chat/end", data={"token": start_chat(first)})
    assert ended.status_code == 200
    quick = second.post("/nl/chat/exit", data={"token": start_chat(second)})
    assert quick.status_code == 303
    start_chat(app.test_client())  # then stops polling: dropped by the sweep
    clock.advance(seconds=chat_store_limits(app).waiting_gone_seconds + 400)
    counsellor.client.get("/staff/chat/overview")
    assert counted(app)[("chat_gave_up", "under_2_min")] == 2
    assert counted(app)[("chat_gave_up", "5_to_15_min")] == 1
    assert ("chat_ended", "visitor") not in counted(app)


def chat_store_limits(app: Flask):  # type: ignore[no-untyped-def]
    with app.app_context():
        return chat_store().limits


def test_the_self_assessment_counts_the_result_page_by_question_set(app: Flask) -> None:
    visitor = app.test_client()
    other = {"child_danger": "not_sure", "noticed": "found", "relationship": "young_person"}
    assert visitor.post("/en/reflect-on-someone-else", data=other).status_code == 200
    assert visitor.post("/nl/even-nadenken-over-jezelf", data={}).status_code == 200
    visitor.get("/nl/even-nadenken-over-jezelf")  # the form itself is not counted
    assert counted(app) == {("assessment_result", "other"): 1, ("assessment_result", "self"): 1}


def test_messages_count_left_collected_and_deleted(app: Flask) -> None:
    visitor = app.test_client()
    code = leave_message(visitor, "Ik wil graag iets vragen")
    visitor.post("/nl/message/read", data={"code": code})  # no answer yet: not collected
    visitor.post("/nl/message/delete", data={"code": code})
    assert counted(app) == {("message_left", "all"): 1, ("message_deleted", "all"): 1}


def test_a_failing_counter_logs_its_type_only_and_the_page_still_works(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    with app.app_context():
        DailyCounter.__table__.drop(db.engine)
    visitor = app.test_client()
    with caplog.at_level(logging.ERROR):
        response = visitor.post("/nl/chat/start", data={"message": "geheim woord"})
    assert response.status_code == 409
    # OperationalError on SQLite, ProgrammingError on PostgreSQL: the type, nothing more.
    assert re.search(r"counter not saved \((OperationalError|ProgrammingError)\)", caplog.text)
    assert "geheim" not in caplog.text
    assert "daily_counter" not in caplog.text


def test_counting_sets_no_cookie(app: Flask) -> None:
    visitor: FlaskClient = app.test_client()
    visitor.post("/nl/chat/start", data={"message": "hallo"})
    assert not list(visitor._cookies)  # noqa: SLF001
