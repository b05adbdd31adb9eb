"""The counsellors' inbox: order and days waited, take / release / close / delete, ready-made
replies, two counsellors at once, the audit trail (never a text), and a database restored
next to another key."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from app.chat.canned import CannedResponse
from app.db import db
from app.messages import web
from app.messages.models import Conversation
from app.staff.audit import AuditEntry
from tests.conftest import make_app
from tests.messages.conftest import leave_message
from tests.staff.conftest import Clock, StaffLogin, create_account, csrf_token
from tests.staff.helpers import form_fields, page_text


def conversation_ids(app: Flask) -> list[str]:
    with app.app_context():
        return [row.id for row in db.session.scalars(select(Conversation))]


def counsellor(app: Flask, clock: Clock, name: str) -> StaffLogin:
    login = StaffLogin(app.test_client(), clock)
    login.login(create_account(app, name))
    return login


def url(conversation_id: str, action: str = "") -> str:
    return f"/staff/messages/{conversation_id}" + (f"/{action}" if action else "")


def answer(staff: StaffLogin, conversation_id: str, text: str, **fields: str):  # type: ignore[no-untyped-def]
    page = staff.client.get(url(conversation_id))
    data = {**form_fields(page, "version"), "text": text, "action": "send", **fields}
    return staff.client.post(url(conversation_id, "reply"), data=data)


def test_waiting_messages_come_first_oldest_first_with_days(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    visitor = app.test_client()
    leave_message(visitor, "new one")
    leave_message(visitor, "old one")
    newer, older = conversation_ids(app)
    with app.app_context():
        five_days_ago = web.today() - dt.timedelta(days=5)
        db.session.execute(
            update(Conversation)
            .where(Conversation.id == older)
            .values(waiting_since=five_days_ago, last_message_on=five_days_ago)
        )
        db.session.commit()
    inbox = page_text(logged_in_admin.client.get("/staff/messages"))
    assert inbox.index(url(older)) < inbox.index(url(newer))
    assert "5" in inbox.split(url(older), 1)[1][:80]
    assert "new one" not in inbox  # no text in the list


def test_a_counsellor_answers_and_the_visitor_reads_it(
    app: Flask, logged_in_admin: StaffLogin, marker: str
) -> None:
    visitor = app.test_client()
    code = leave_message(visitor, "please help")
    (conversation_id,) = conversation_ids(app)
    page = page_text(logged_in_admin.client.get(url(conversation_id)))
    assert "please help" in page
    response = answer(logged_in_admin, conversation_id, f"We are here {marker}")
    assert response.status_code == 302
    shown = visitor.post("/nl/message/read", data={"code": code}).get_data(as_text=True)
    assert f"We are here {marker}" in shown
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry)).all()
    assert [e.action for e in entries] == ["message answered"]
    assert all(marker not in f"{e.target}{e.before}{e.after}" for e in entries)
    assert all("please help" not in f"{e.target}{e.before}{e.after}" for e in entries)


def test_two_counsellors_never_both_answer_and_no_reply_is_lost(
    app: Flask, clock: Clock, marker: str
) -> None:
    leave_message(app.test_client(), "hello")
    (conversation_id,) = conversation_ids(app)
    alice, bob = counsellor(app, clock, "alice.one"), counsellor(app, clock, "bob.two")
    alice_page = alice.client.get(url(conversation_id))
    bob_page = bob.client.get(url(conversation_id))
    sent = alice.client.post(
        url(conversation_id, "reply"),
        data={**form_fields(alice_page), "text": "from alice", "action": "send"},
    )
    assert sent.status_code == 302
    stale = bob.client.post(
        url(conversation_id, "reply"),
        data={**form_fields(bob_page), "text": f"from bob {marker}", "action": "send"},
    )
    assert stale.status_code == 409
    body = page_text(stale)
    assert f"from bob {marker}" in body  # kept in the box
    assert "from alice" in body  # and what changed is shown
    with app.app_context():
        actions = [e.actor for e in db.session.scalars(select(AuditEntry))]
    assert actions == ["alice.one"]


def test_taking_shows_who_has_it_and_holds_off_colleagues(app: Flask, clock: Clock) -> None:
    leave_message(app.test_client(), "hello")
    (conversation_id,) = conversation_ids(app)
    alice, bob = counsellor(app, clock, "alice.one"), counsellor(app, clock, "bob.two")
    taken = alice.post(url(conversation_id, "take"), {}, form_url=url(conversation_id))
    assert taken.status_code == 302
    bob_page = page_text(bob.client.get(url(conversation_id)))
    assert "alice.one" in bob_page
    assert "/take" not in bob_page
    twice = bob.post(url(conversation_id, "take"), {}, form_url=url(conversation_id))
    assert twice.status_code == 409
    refused = answer(bob, conversation_id, "bob's words")
    assert refused.status_code == 409
    assert "bob&#39;s words" in refused.get_data(as_text=True)
    assert answer(alice, conversation_id, "alice's words").status_code == 302
    released = bob.post(url(conversation_id, "release"), {}, form_url=url(conversation_id))
    assert released.status_code == 409  # sending ended alice's hold: nothing to release


def test_a_ready_made_reply_is_put_into_the_box(app: Flask, logged_in_admin: StaffLogin) -> None:
    leave_message(app.test_client(), "hello")
    (conversation_id,) = conversation_ids(app)
    with app.app_context():
        db.session.add(CannedResponse(title="Welcome", body="Thank you for writing."))
        db.session.commit()
        reply_id = db.session.scalars(select(CannedResponse)).one().id
    page = logged_in_admin.client.get(url(conversation_id))
    data = {**form_fields(page), "text": "Hi.", "reply": str(reply_id), "action": "insert"}
    response = logged_in_admin.client.post(url(conversation_id, "reply"), data=data)
    assert response.status_code == 200
    box = re.search(r'<textarea id="answer-text"[^>]*>([^<]*)<', page_text(response))
    assert box
    assert box.group(1).strip() == "Hi.\n\nThank you for writing."


def test_close_and_delete_are_in_the_audit_trail(app: Flask, logged_in_admin: StaffLogin) -> None:
    visitor = app.test_client()
    code = leave_message(visitor, "hello")
    (conversation_id,) = conversation_ids(app)
    staff = logged_in_admin
    assert staff.post(url(conversation_id, "close"), {}, url(conversation_id)).status_code == 302
    assert visitor.post("/nl/message/read", data={"code": code}).status_code == 200
    assert staff.post(url(conversation_id, "delete"), {}, url(conversation_id)).status_code == 302
    assert visitor.post("/nl/message/read", data={"code": code}).status_code == 404
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEntry))]
    assert actions == ["message close", "message deleted"]
    audit = page_text(staff.client.get("/staff/admin/audit"))
    assert "Message closed" in audit or "Bericht gesloten" in audit


def test_the_answer_time_line_is_edited_by_staff(app: Flask, logged_in_admin: StaffLogin) -> None:
    token = csrf_token(logged_in_admin.client, "/staff/messages")
    response = logged_in_admin.client.post(
        "/staff/messages/answer-time",
        data={
            "csrf_token": token,
            "version": "0",
            "answer_time_nl": "binnen 5 werkdagen",
            "answer_time_en": "within 5 working days",
        },
    )
    assert response.status_code == 302
    assert "binnen 5 werkdagen" in app.test_client().get("/nl/bericht").get_data(as_text=True)
    assert "within 5 working days" in app.test_client().get("/en/message").get_data(as_text=True)


def test_another_key_gives_staff_a_clear_error_and_the_public_page_still_works(
    tmp_path: Path, clock: Clock
) -> None:
    first = make_app(tmp_path)
    code = leave_message(first.test_client(), "stored under the first key")
    url_now = first.config["SQLALCHEMY_DATABASE_URI"]
    other_key = "b3RoZXItbWVzc2FnZXMta2V5LTMyLWJ5dGVzLWxvbmc="
    restored = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=url_now, MESSAGES_KEY=other_key)
    (conversation_id,) = conversation_ids(restored)
    staff = counsellor(restored, clock, "alice.one")
    inbox = page_text(staff.client.get("/staff/messages"))
    assert "MESSAGES_KEY" in inbox
    opened = staff.client.get(url(conversation_id))
    assert opened.status_code == 503
    assert "MESSAGES_KEY" in page_text(opened)
    visitor: FlaskClient = restored.test_client()
    assert visitor.get("/nl/bericht").status_code == 200
    assert visitor.post("/nl/message/read", data={"code": code}).status_code == 404
    assert leave_message(visitor, "a new message")  # leaving one still works
