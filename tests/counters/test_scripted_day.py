"""A day of chats, messages and self-tests through the test client: the counters say what
happened, and the figures page and the CSV export show exactly the counters."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from flask import Flask
from sqlalchemy import select, update

from app.counters.labels import bucket_label, metric_label
from app.counters.store import totals
from app.counters.web import today
from app.db import db
from app.messages import web as messages_web
from app.messages.models import Conversation
from tests.chat.web import open_chat_app, start_chat, start_form
from tests.counters.helpers import counted
from tests.messages.conftest import leave_message
from tests.staff.conftest import Clock, StaffLogin, create_account
from tests.staff.test_messages import answer


def take(counsellor: StaffLogin) -> str:
    response = counsellor.post("/staff/chat/take", {}, form_url="/staff/chat")
    return response.headers["Location"].rsplit("/", 1)[1]


def script_a_day(app: Flask, counsellor: StaffLogin) -> None:
    """3 chats asked for while nobody was available, then 4 started: 2 answered (one ended by
    the counsellor, one by the visitor), 1 left in the queue, 1 quick exit while waiting;
    the fifth turned away by the full queue. 3 messages: 1 answered after 2 days and read,
    1 deleted by its visitor, 1 expired. 2 self-test results."""
    for _ in range(3):
        app.test_client().post("/nl/chat/start", data={"message": "hallo"})
    counsellor.post("/staff/chat/available", {"available": "1"}, form_url="/staff/chat")
    visitors = [app.test_client() for _ in range(4)]
    tokens = [start_chat(visitor) for visitor in visitors]
    full = app.test_client()
    assert full.post("/nl/chat/start", data=start_form(full)).status_code == 503
    first, second = take(counsellor), take(counsellor)
    counsellor.post(f"/staff/chat/{first}/end", {}, f"/staff/chat/{first}")
    visitors[1].post("/nl/chat/end", data={"token": tokens[1]})
    assert second
    visitors[2].post("/nl/chat/end", data={"token": tokens[2]})
    visitors[3].post("/nl/chat/exit", data={"token": tokens[3]})

    visitor = app.test_client()
    answered = leave_message(visitor, "een")
    with app.app_context():
        [answered_id] = db.session.scalars(select(Conversation.id))
    deleted, expired = leave_message(visitor, "twee"), leave_message(visitor, "drie")
    with app.app_context():
        two_days_ago = today() - dt.timedelta(days=2)
        db.session.execute(update(Conversation).values(waiting_since=two_days_ago))
        db.session.commit()
    for code in (answered, deleted, expired):
        visitor.post("/nl/message/read", data={"code": code})  # nothing answered: not collected
    assert answer(counsellor, answered_id, "Dank je voor je bericht.").status_code == 302
    for code in (answered, deleted, expired):
        visitor.post("/nl/message/read", data={"code": code})  # one has an answer: collected
    visitor.post("/nl/message/delete", data={"code": deleted})
    with app.app_context():
        long_ago = today() - dt.timedelta(days=400)
        db.session.execute(
            update(Conversation)
            .where(Conversation.state == "waiting")
            .values(last_message_on=long_ago)
        )
        db.session.commit()
        messages_web.sweep_now()

    self_test = app.test_client()
    self_test.post("/nl/even-nadenken-over-jezelf", data={})
    self_test.post("/en/reflect-on-yourself", data={"child_danger": "yes"})


def test_a_scripted_day_is_counted_and_shown_exactly(tmp_path: Path, clock: Clock) -> None:
    app = open_chat_app(tmp_path, max_waiting=4, unproven_waiting=4, unproven_per_minute=10)
    counsellor = StaffLogin(app.test_client(), clock)
    counsellor.login(create_account(app, "counsellor.one"))
    script_a_day(app, counsellor)

    expected = {
        ("chat_requested", "all"): 8,
        ("chat_turned_away", "no_counsellor"): 3,
        ("chat_turned_away", "queue_full"): 1,
        ("chat_started", "all"): 4,
        ("chat_answered", "all"): 2,
        ("chat_ended", "counsellor"): 1,
        ("chat_ended", "visitor"): 1,
        ("chat_length", "under_5_min"): 2,
        ("chat_gave_up", "under_2_min"): 2,
        ("message_left", "all"): 3,
        ("message_answered", "2_to_3_days"): 1,
        ("message_collected", "all"): 1,
        ("message_deleted", "all"): 1,
        ("message_expired", "all"): 1,
        ("assessment_result", "self"): 2,
    }
    assert counted(app) == expected

    page = counsellor.client.get("/staff/figures?period=week").get_data(as_text=True)
    shown = {}
    for label, cells in re.findall(r'<th scope="row">([^<]+)</th>\s*((?:<td>\d+</td>)+)', page):
        shown[label] = int(re.findall(r"<td>(\d+)</td>", cells)[-1])  # this week's column
    with app.test_request_context("/staff/figures"):
        labels = {
            (metric_label(m) + ("" if b == "all" else f": {bucket_label(m, b)}")): n
            for (m, b), n in expected.items()
        }
    assert {label: n for label, n in shown.items() if n} == labels

    with app.app_context():
        day = today().isoformat()
    result = app.test_cli_runner().invoke(args=["stats", "export", "--from", day, "--to", day])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {(r["metric"], r["bucket"]): int(r["count"]) for r in rows} == expected
    with app.app_context():
        assert len(totals(db.session, today(), today())) == len(rows)
