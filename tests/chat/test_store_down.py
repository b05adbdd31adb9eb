"""A chat store that cannot be reached closes the chat honestly and breaks no page."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from app.chat.sqlite_store import SqliteChatStore
from app.chat.store import StoreUnavailable
from app.db import db
from app.hours.schedule_json import parse_schedule
from app.hours.store import save_schedule
from tests.chat.conftest import T0
from tests.chat.web import ALWAYS_OPEN, chat_address
from tests.conftest import make_app
from tests.staff.conftest import Clock, StaffLogin, create_account

UNREACHABLE = {
    "redis": "redis://127.0.0.1:1/0",
    "sqlite": "sqlite:////proc/no-such-place/chat.sqlite3",
    "corrupt": "sqlite:///{tmp}/corrupt/chat.sqlite3",
}


@pytest.fixture(params=sorted(UNREACHABLE))
def broken_app(request: pytest.FixtureRequest, tmp_path: Path) -> Flask:
    corrupt = tmp_path / "corrupt" / "chat.sqlite3"
    corrupt.parent.mkdir()
    corrupt.write_bytes(b"this is not a database " * 300)
    url = UNREACHABLE[request.param].format(tmp=tmp_path)
    app = make_app(tmp_path, CHAT_STORE_URL=url)
    with app.app_context():
        save_schedule(db.session, parse_schedule(ALWAYS_OPEN), None)
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
    assert visitor.get(f"{chat_address(visitor, token, 'en')}/frame").status_code == 503
    exit_ = visitor.post("/en/chat/exit", data={"token": token})
    assert exit_.status_code == 303


def test_the_console_says_what_is_wrong(broken_app: Flask) -> None:
    login = StaffLogin(broken_app.test_client(), Clock())
    login.login(create_account(broken_app, "counsellor.down"))
    response = login.client.get("/staff/chat")
    assert response.status_code == 503
    assert "(SQLite" in response.get_data(as_text=True)  # the page names what is down


def test_the_shift_board_says_what_is_wrong(broken_app: Flask) -> None:
    """The board's frame reads the store: down, it says so (503), never a 500."""
    login = StaffLogin(broken_app.test_client(), Clock())
    login.login(create_account(broken_app, "lead.down", shift_lead=True))
    assert login.client.get("/staff/board").status_code == 200
    response = login.client.get("/staff/board/frame")
    assert response.status_code == 503
    assert "(SQLite" in response.get_data(as_text=True)  # the console's page, as above


def test_a_store_that_breaks_later_says_unavailable(tmp_path: Path) -> None:
    """A file that goes bad under a running store: every call says StoreUnavailable."""
    path = tmp_path / "chat.sqlite3"
    store = SqliteChatStore(path)
    store.open("hash-a", "", "hi", T0)
    store.close()
    for name in ("chat.sqlite3", "chat.sqlite3-wal", "chat.sqlite3-shm"):
        if (tmp_path / name).exists():
            (tmp_path / name).write_bytes(b"\x00garbage" * 500)
    with pytest.raises(StoreUnavailable):
        store.available_count(T0)
    with pytest.raises(StoreUnavailable):
        store.open("hash-b", "", "hi", T0)
