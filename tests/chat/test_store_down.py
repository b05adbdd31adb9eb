"""A chat store that cannot be reached closes the chat honestly and breaks no page."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from app.hours.schedule_json import parse_schedule
from app.hours.store import save_schedule
from tests.chat.web import ALWAYS_OPEN
from tests.conftest import make_app
from tests.staff.conftest import Clock, StaffLogin, create_account

UNREACHABLE = {
    "redis": "redis://127.0.0.1:1/0",
    "sqlite": "sqlite:////proc/no-such-place/chat.sqlite3",
}


@pytest.fixture(params=sorted(UNREACHABLE))
def broken_app(request: pytest.FixtureRequest, tmp_path: Path) -> Flask:
    app = make_app(tmp_path, CHAT_STORE_URL=UNREACHABLE[request.param])
    with app.app_context():
        save_schedule(parse_schedule(ALWAYS_OPEN), None)
    return app


def test_pages_say_call_instead(broken_app: Flask) -> None:
    visitor = broken_app.test_client()
    for path in ("/nl/", "/en/contact", "/en/chat"):
        response = visitor.get(path)
        assert response.status_code == 200, path
    page = visitor.get("/en/chat").get_data(as_text=True)
    assert "Start the chat" not in page
    assert "no counsellor is free right now" in page
    chat = visitor.get("/api/status").get_json()["channels"]["chat"]
    assert chat["open"] is False
    assert visitor.post("/en/chat/start", data={"message": "hi"}).status_code == 409
    token = "A" * 43
    assert visitor.post("/en/chat/view", data={"token": token}).status_code == 503
    assert visitor.get(f"/en/chat/{token}/frame").status_code == 503
    exit_ = visitor.post("/en/chat/exit", data={"token": token})
    assert exit_.status_code == 303


def test_the_console_says_what_is_wrong(broken_app: Flask) -> None:
    login = StaffLogin(broken_app.test_client(), Clock())
    login.login(create_account(broken_app, "counsellor.down"))
    response = login.client.get("/staff/chat")
    assert response.status_code == 503
    assert "(SQLite" in response.get_data(as_text=True)  # the page names what is down
