"""Presence and typing through the test client (issue 13): an open event stream is a sign of
life, the counsellor sees the visitor leave and come back and sees them type, the visitor
sees "a reply is coming" without JavaScript, and a typing signal carries no words."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext

from app import clock as site_clock
from app.chat.store import ChatInfo, Limits
from app.chat.tokens import token_hash
from app.chat.web import chat_store
from tests.chat.web import chat_address, open_chat_app, start_chat
from tests.clock import Clock
from tests.staff.conftest import StaffLogin, create_account

BEAT = 0.2  # CHAT_BEAT_SECONDS for these tests: a beat arrives at once


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    app = open_chat_app(tmp_path)
    app.config["CHAT_BEAT_SECONDS"] = BEAT
    return app


@pytest.fixture
def visitor(app: Flask) -> Iterator[FlaskClient]:
    client = app.test_client()
    yield client
    assert not list(client._cookies)  # noqa: SLF001  (no cookie of any name reached the visitor)


@pytest.fixture
def counsellor(app: Flask) -> StaffLogin:
    """Logged in with a code of this moment; the site's clock keeps running, since presence
    is about seconds really passing (an open stream's beats)."""
    login = StaffLogin(app.test_client(), Clock())
    login.login(create_account(app, "counsellor.one"))
    login.post("/staff/chat/available", {"available": "1"}, form_url="/staff/chat")
    return login


def take_next(counsellor: StaffLogin) -> str:
    response = counsellor.post("/staff/chat/take", {}, form_url="/staff/chat")
    assert response.status_code == 302
    return response.headers["Location"].rsplit("/", 1)[1]


def chat_of(app: Flask, token: str) -> ChatInfo:
    with app.app_context():
        info = chat_store().find(token_hash(token), site_clock.seconds())
    assert info is not None
    return info


def last_seen(app: Flask, chat_id: str) -> float:
    with app.app_context():
        info = chat_store().get(chat_id, site_clock.seconds())
    assert info is not None
    assert info.seen is not None
    return info.seen


def chat_store_limits(app: Flask) -> Limits:
    with app.app_context():
        return chat_store().limits


def in_dutch(app: Flask, text: str) -> str:
    """A text as the counsellor reads it (staff pages are in Dutch)."""
    with app.test_request_context(), force_locale("nl"):
        return str(gettext(text))


def silence(app: Flask, token: str, seconds: float) -> None:
    """As if the visitor's page had shown no sign of life for `seconds` (the store's clock)."""
    with app.app_context():
        chat_store().find(token_hash(token), site_clock.seconds() - seconds)


def test_an_open_event_stream_keeps_a_visitor_present(
    app: Flask, visitor: FlaskClient, counsellor: StaffLogin
) -> None:
    """With the long poll far longer than the events' life, only the stream's beats can
    renew "last seen" while it is open: before, an active chat's stream renewed it only
    after a whole long poll."""
    app.config["CHAT_LONG_POLL_SECONDS"] = 600
    app.config["CHAT_EVENTS_SECONDS"] = 60
    token = start_chat(visitor)
    chat_id = take_next(counsellor)
    silence(app, token, 30)
    response = visitor.get(f"{chat_address(visitor, token, 'en')}/events", buffered=False)
    opened = last_seen(app, chat_id)  # opening the stream is a sign of life, too
    beats = 0
    for chunk in response.response:
        beats += b": beat" in chunk
        if beats == 2:
            break
    response.close()
    assert beats == 2
    assert last_seen(app, chat_id) > opened


def test_the_counsellor_sees_the_visitor_leave_and_come_back(
    app: Flask, visitor: FlaskClient, counsellor: StaffLogin
) -> None:
    token = start_chat(visitor)
    chat_id = take_next(counsellor)
    frame = f"/staff/chat/{chat_id}/frame"
    assert 'data-presence="left"' not in counsellor.client.get(frame).get_data(as_text=True)
    silence(app, token, chat_store_limits(app).present_seconds + 5)
    left = counsellor.client.get(frame).get_data(as_text=True)
    assert 'data-presence="left"' in left
    overview = counsellor.client.get("/staff/chat/overview").get_data(as_text=True)
    assert 'data-presence="left"' in overview
    # The frame's next poll says what it showed; a change wakes it (here: at once).
    assert "shown=left" in left
    visitor.post("/en/chat/view", data={"token": token})  # the page is still open
    back = counsellor.client.get(f"{frame}?after=2&shown=left").get_data(as_text=True)
    assert 'data-presence="left"' not in back
    with app.app_context():
        assert chat_store().get(chat_id, site_clock.seconds()).state == "active"  # type: ignore[union-attr]


def test_visitor_typing_reaches_the_counsellor_and_carries_no_words(
    app: Flask, visitor: FlaskClient, counsellor: StaffLogin, tmp_path: Path
) -> None:
    token = start_chat(visitor)
    chat_id = take_next(counsellor)
    marker = secrets.token_hex(8)
    typed = visitor.post("/en/chat/typing", data={"token": token, "message": marker})
    assert typed.status_code == 204
    frame = counsellor.client.get(f"/staff/chat/{chat_id}/frame").get_data(as_text=True)
    assert 'data-presence="typing"' in frame
    needle = marker.encode()
    assert [p.name for p in tmp_path.iterdir() if p.is_file() and needle in p.read_bytes()] == []


def test_typing_before_a_counsellor_joined_or_with_a_dead_token(
    visitor: FlaskClient, counsellor: StaffLogin
) -> None:
    token = start_chat(visitor)
    waiting = visitor.post("/en/chat/typing", data={"token": token})
    assert waiting.status_code == 409
    assert waiting.get_json()["error"]
    assert visitor.post("/en/chat/typing", data={"token": "x" * 43}).status_code == 404
    assert visitor.post("/en/chat/typing", data={}).status_code == 404


def test_the_visitor_sees_a_reply_coming_without_javascript_and_typing_with_it(
    app: Flask, visitor: FlaskClient, counsellor: StaffLogin
) -> None:
    app.config["CHAT_EVENTS_SECONDS"] = 1
    token = start_chat(visitor)
    chat_id = take_next(counsellor)
    address = chat_address(visitor, token, "en")
    assert "A reply is coming." not in visitor.get(f"{address}/frame").get_data(as_text=True)
    typed = counsellor.post(f"/staff/chat/{chat_id}/typing", {}, form_url=f"/staff/chat/{chat_id}")
    assert typed.status_code == 204
    frame = visitor.get(f"{address}/frame").get_data(as_text=True)
    assert "A reply is coming." in frame
    assert re.search(r"coming=1", frame)  # its next poll wakes when the reply comes
    events = visitor.get(f"{address}/events").get_data(as_text=True)
    assert '"typing": true' in events
    counsellor.post(f"/staff/chat/{chat_id}/send", {"message": "hello"}, f"/staff/chat/{chat_id}")
    after = visitor.get(f"{address}/frame").get_data(as_text=True)
    assert "A reply is coming." not in after


def test_take_next_tells_when_everyone_waiting_is_away(
    app: Flask, visitor: FlaskClient, counsellor: StaffLogin
) -> None:
    token = start_chat(visitor)
    silence(app, token, chat_store_limits(app).present_seconds + 5)
    response = counsellor.post("/staff/chat/take", {}, form_url="/staff/chat")
    assert response.headers["Location"].endswith("/staff/chat")
    console = counsellor.client.get("/staff/chat").get_data(as_text=True)
    away = "The people waiting have not been seen for a moment: their page may be closed."
    assert in_dutch(app, away) in console
    assert chat_of(app, token).state == "waiting"  # kept their place; now seen again
