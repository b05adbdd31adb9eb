"""The visitor's side, through the test client without JavaScript: leave a message, get the
code once, read the answer, reply, delete; one neutral answer for every code that leads
nowhere; the text kept on every error; no cookie, no-store, nothing readable in the file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Date, DateTime, select, update

from app.db import db
from app.messages.models import Conversation, ConversationMessage
from tests.conftest import make_app
from tests.messages.conftest import CODE, form_key, leave, leave_message


def test_a_message_gives_a_code_that_reads_the_conversation(
    client: FlaskClient, marker: str
) -> None:
    code = leave_message(client, f"I need to talk {marker}", first_name="Sam")
    shown = client.post("/nl/message/read", data={"code": code.lower().replace("-", " ")})
    assert shown.status_code == 200
    assert marker in shown.get_data(as_text=True)
    assert "Set-Cookie" not in shown.headers
    assert shown.headers["Cache-Control"] == "no-store"


def test_the_code_is_shown_once_and_never_in_an_address(client: FlaskClient) -> None:
    response = leave(client, "hello")
    body = response.get_data(as_text=True)
    code = CODE.search(body)
    assert code
    assert body.count(code.group(1)) == 1
    assert code.group(1) not in response.headers.get("Location", "")
    for form in re.findall(r"<form[^>]*>", body):
        assert 'method="post"' in form or 'method="get"' not in form


def test_a_replayed_form_leaves_no_second_conversation(app: Flask, client: FlaskClient) -> None:
    key = form_key(client)
    first = client.post("/nl/message/send", data={"form_key": key, "text": "once"})
    again = client.post("/nl/message/send", data={"form_key": key, "text": "once"})
    assert first.status_code == 200
    assert again.status_code == 409
    assert not CODE.search(again.get_data(as_text=True))
    with app.app_context():
        assert len(db.session.scalars(select(Conversation)).all()) == 1


@pytest.mark.parametrize("typed", ["AAAA-AAAA-AAAA-AAAA", "not a code", "", "0" * 16, "x" * 5000])
def test_every_code_that_leads_nowhere_gets_the_same_answer(
    client: FlaskClient, typed: str
) -> None:
    code = leave_message(client, "hello")
    client.post("/nl/message/delete", data={"code": code})
    deleted = client.post("/nl/message/read", data={"code": code})
    wrong = client.post("/nl/message/read", data={"code": typed})
    assert wrong.status_code == deleted.status_code == 404

    def main(response: object) -> str:
        text = response.get_data(as_text=True)  # type: ignore[attr-defined]
        text = re.sub(r'name="form_key" value="[^"]+"', "", text)
        return text.split("<main", 1)[1].split("</main>", 1)[0]

    assert main(wrong) == main(deleted)
    assert typed not in main(wrong) or not typed


def test_a_reply_continues_the_conversation(app: Flask, client: FlaskClient) -> None:
    code = leave_message(client, "first")
    reply = client.post("/nl/message/reply", data={"code": code, "text": "second"})
    assert reply.status_code == 200
    body = reply.get_data(as_text=True)
    assert body.index("first") < body.index("second")
    with app.app_context():
        assert len(db.session.scalars(select(ConversationMessage)).all()) == 2


@pytest.mark.parametrize(
    "fields", [{"text": "   "}, {"text": "x" * 5001}, {"first_name": "n" * 41}]
)
def test_the_text_is_kept_on_every_error(client: FlaskClient, fields: dict[str, str]) -> None:
    data = {"form_key": form_key(client), "text": "kept words", "first_name": "kept name"}
    data.update(fields)
    response = client.post("/nl/message/send", data=data)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert data["text"] in body
    assert data["first_name"] in body


def test_an_old_or_made_up_form_key_keeps_the_text(client: FlaskClient) -> None:
    response = client.post("/nl/message/send", data={"form_key": "made-up", "text": "my words"})
    assert response.status_code == 400
    assert "my words" in response.get_data(as_text=True)


def test_a_reply_with_a_wrong_code_still_shows_the_text(client: FlaskClient) -> None:
    response = client.post("/nl/message/reply", data={"code": "nope", "text": "my reply"})
    assert response.status_code == 404
    assert "my reply" in response.get_data(as_text=True)


def test_the_visitor_deletes_the_conversation_at_once(app: Flask, client: FlaskClient) -> None:
    code = leave_message(client, "delete me")
    response = client.post("/nl/message/delete", data={"code": code})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalars(select(Conversation)).all() == []
        assert db.session.scalars(select(ConversationMessage)).all() == []
    assert client.post("/nl/message/read", data={"code": code}).status_code == 404


def test_the_database_file_holds_no_text_and_no_code(tmp_path: Path, marker: str) -> None:
    app = make_app(tmp_path)
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("a file check; on PostgreSQL the server test covers it")
    client = app.test_client()
    code = leave_message(client, f"words {marker}", first_name=f"N{marker}"[:40])
    client.post("/nl/message/reply", data={"code": code, "text": f"more {marker}"})
    with app.app_context():
        db.engine.dispose()
    content = (tmp_path / "test.sqlite3").read_bytes()
    assert marker.encode() not in content
    assert code.replace("-", "").encode() not in content
    assert code.encode() not in content


def test_a_conversation_keeps_days_not_times() -> None:
    for table in (Conversation.__table__, ConversationMessage.__table__):
        for column in table.columns:
            assert not isinstance(column.type, DateTime), column
    assert isinstance(ConversationMessage.__table__.c.sent_on.type, Date)
    assert isinstance(Conversation.__table__.c.last_message_on.type, Date)


def test_a_closed_conversation_is_read_but_not_continued(app: Flask, client: FlaskClient) -> None:
    code = leave_message(client, "hello")
    with app.app_context():
        db.session.execute(update(Conversation).values(state="closed"))
        db.session.commit()
    response = client.post("/nl/message/reply", data={"code": code, "text": "still there?"})
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "still there?" in body
    assert "hello" in body


def test_a_post_from_another_site_is_refused(client: FlaskClient) -> None:
    headers = {"Sec-Fetch-Site": "cross-site"}
    response = client.post("/nl/message/send", data={"text": "x"}, headers=headers)
    assert response.status_code == 403


def test_both_languages_have_the_page(client: FlaskClient) -> None:
    assert client.get("/en/message").status_code == 200
    english = client.post("/en/message/read", data={"code": "nope"}).get_data(as_text=True)
    assert "We found no conversation with this code" in english
