"""Helpers for the chat's web tests: an app whose chat is open, a visitor, a counsellor."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from app.chat.sqlite_store import SqliteChatStore
from app.chat.store import Limits
from app.chat.tokens import token_hash
from app.chat.web import view_pass
from app.db import db
from app.hours.schedule_json import parse_schedule
from app.hours.store import save_schedule
from tests.conftest import make_app

ALWAYS = ["00:00-24:00"]
ALWAYS_OPEN = {
    "timezone": "Europe/Amsterdam",
    "channels": {
        name: {
            "weekly": {day: ALWAYS for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
            "holidays": "normal",
        }
        for name in ("phone", "chat")
    },
}
TOKEN_FIELD = re.compile(r'name="token" value="([A-Za-z0-9_-]{43})"')
START_KEY = re.compile(r'name="start_key" value="([^"]+)"')
VIEW_PASS = re.compile(r"/chat/([A-Za-z0-9_.-]+)/frame")


def open_chat_app(tmp_path: Path, **limits: int) -> Flask:
    """An app whose hours say open all week, with a chat store in `tmp_path`."""
    app = make_app(tmp_path, CHAT_STORE_URL=f"sqlite:///{tmp_path / 'chat.sqlite3'}")
    with app.app_context():
        save_schedule(db.session, parse_schedule(ALWAYS_OPEN), None)
    if limits:
        app.extensions["chat_store"] = SqliteChatStore(tmp_path / "chat.sqlite3", Limits(**limits))
    return app


def token_of(html: str) -> str:
    match = TOKEN_FIELD.search(html)
    assert match, "no chat token in the page"
    return match.group(1)


def start_form(visitor: FlaskClient, nickname: str = "", message: str = "hello") -> dict[str, str]:
    """The start form as a browser would send it, with the page's one-time key."""
    page = visitor.get("/nl/chat").get_data(as_text=True)
    match = START_KEY.search(page)
    assert match, "no start form on the chat page"
    return {"start_key": match.group(1), "nickname": nickname, "message": message}


def start_chat(visitor: FlaskClient, nickname: str = "", message: str = "hello") -> str:
    """Start a chat as a visitor; returns the token from the waiting room."""
    response = visitor.post("/nl/chat/start", data=start_form(visitor, nickname, message))
    assert response.status_code == 200, response.status_code
    return token_of(response.get_data(as_text=True))


def chat_address(visitor: FlaskClient, token: str, lang: str = "nl") -> str:
    """Where the chat's frame and event stream are, with a view pass fresh now (the room page
    hands out the same kind): `{address}/frame`, `{address}/events`."""
    with visitor.application.test_request_context():
        return f"/{lang}/chat/{view_pass(token_hash(token))}"


def view_pass_in(html: str) -> str:
    match = VIEW_PASS.search(html)
    assert match, "no frame address in the page"
    return match.group(1)
