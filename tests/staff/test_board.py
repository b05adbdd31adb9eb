"""The shift lead's board: behind its own default-deny gate, the right numbers for a scripted
state, and nothing of any chat (no nickname, no message) or of any message in the inbox."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import ngettext
from sqlalchemy import select

from app import clock as site_clock
from app.chat.board import chat_board
from app.chat.sqlite_store import SqliteChatStore
from app.chat.tokens import new_token, token_hash
from app.chat.web import chat_store
from app.counters.metrics import Metric, Refusal
from app.counters.store import increment
from app.counters.web import today
from app.db import db
from app.staff.accounts import StaffUser
from tests.chat.web import open_chat_app
from tests.messages.conftest import leave_message
from tests.staff.conftest import Clock, StaffLogin, create_account
from tests.staff.helpers import page_text, translated

NICKNAME = "Nick-on-the-queue"
TEXT = "a first message nobody but a counsellor may read"
INBOX_TEXT = "a message left for the inbox"


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    """Chat open all week; a waiting visitor is not dropped while the test clock runs back."""
    return open_chat_app(tmp_path, waiting_gone_seconds=3600)


def login(app: Flask, clock: Clock, name: str, **roles: bool) -> StaffLogin:
    staff = StaffLogin(app.test_client(), clock)
    staff.login(create_account(app, name, **roles))
    return staff


def user_id(app: Flask, name: str) -> int:
    with app.app_context():
        return db.session.scalars(select(StaffUser.id).where(StaffUser.username == name)).one()


def open_chat(created: float) -> str:
    """A chat asked for at `created` (the store's clock is an argument: a test clock)."""
    hashed = token_hash(new_token())
    chat_store().open(hashed, NICKNAME, TEXT, created)
    chat_store().find(hashed, site_clock.seconds())  # the visitor is still there now
    return hashed


def scripted_state(app: Flask, clock: Clock) -> None:
    """Anna has two chats, Bram none (both available), Carl is not available; two visitors
    wait, the first for 7 minutes and some seconds; one message waits for an answer; two
    chats were turned away today because the queue was full."""
    for name in ("anna.counsellor", "bram.counsellor", "carl.counsellor"):
        create_account(app, name)
    anna, bram = user_id(app, "anna.counsellor"), user_id(app, "bram.counsellor")
    with app.app_context():
        store = chat_store()
        store.set_available(anna, True, site_clock.seconds())
        store.set_available(bram, True, site_clock.seconds())
        for _ in range(2):
            open_chat(site_clock.seconds() - 60)
            store.claim_next(anna, site_clock.seconds())
        open_chat(site_clock.seconds() - 7 * 60 - 20)
        open_chat(site_clock.seconds() - 60)
        increment(db.session, today(), Metric.CHAT_TURNED_AWAY, Refusal.QUEUE_FULL, by=2)
        db.session.commit()
    leave_message(app.test_client(), INBOX_TEXT)


def text_of(page: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</(dd|table|p)>', page, re.S)
    assert match, f"no #{element_id} on the board"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def test_the_board_shows_the_queue_loads_inbox_and_todays_counters(
    app: Flask, clock: Clock
) -> None:
    scripted_state(app, clock)
    lead = login(app, clock, "lead.one", shift_lead=True)
    frame = page_text(lead.client.get("/staff/board/frame"))
    assert text_of(frame, "board-waiting") == "2"
    with app.test_request_context("/staff/"):
        seven = ngettext("%(num)d minute", "%(num)d minutes", 7)
    assert text_of(frame, "board-longest") == seven
    assert text_of(frame, "board-messages") == "1"
    loads = text_of(frame, "board-loads")
    of = translated(app, "%(n)s of %(max)s", n="{n}", max=3)
    assert f"anna.counsellor {of.format(n=2)}" in loads
    assert f"bram.counsellor {of.format(n=0)}" in loads
    assert "carl.counsellor" not in loads  # not available: not on the board
    today_table = text_of(frame, "board-today")
    queue_full = translated(app, "queue full")
    assert re.search(rf"{translated(app, 'Chat: turned away')} 2 {queue_full}: 2", today_table)
    assert re.search(rf"{translated(app, 'Message: left')} 1 ", today_table)


def test_the_board_shows_nothing_of_any_chat_or_message(app: Flask, clock: Clock) -> None:
    scripted_state(app, clock)
    lead = login(app, clock, "lead.one", shift_lead=True)
    for url in ("/staff/board", "/staff/board/frame"):
        page = page_text(lead.client.get(url))
        for secret in (NICKNAME, TEXT, INBOX_TEXT):
            assert secret not in page, (url, secret)
        # No time of day either: the wait is in whole minutes only.
        assert not re.search(r"\b\d{1,2}:\d{2}\b", page), url
        with app.app_context():
            chat_ids = [chat.chat_id for chat in chat_store().queue(site_clock.seconds())]
        assert not any(chat_id in page for chat_id in chat_ids)


def test_the_board_frame_waits_for_a_change(app: Flask, clock: Clock) -> None:
    """With `seen=` the frame is the long poll; a changed number answers with a new address."""
    app.config["CHAT_LONG_POLL_SECONDS"] = 0  # no change is coming: answer at once
    lead = login(app, clock, "lead.one", shift_lead=True)
    first = lead.client.get("/staff/board/frame").get_data(as_text=True)
    seen = re.search(r"seen=([0-9a-f]+)", first)
    assert seen
    same = lead.client.get(f"/staff/board/frame?seen={seen.group(1)}").get_data(as_text=True)
    assert f"seen={seen.group(1)}" in same
    with app.app_context():
        open_chat(site_clock.seconds())
    changed = lead.client.get(f"/staff/board/frame?seen={seen.group(1)}")
    assert f"seen={seen.group(1)}" not in changed.get_data(as_text=True)
    assert text_of(page_text(changed), "board-waiting") == "1"


def test_opening_the_board_does_not_make_the_lead_available(app: Flask, clock: Clock) -> None:
    lead = login(app, clock, "lead.one", shift_lead=True)
    assert lead.client.get("/staff/board/frame").status_code == 200
    with app.app_context():
        assert not chat_store().is_available(user_id(app, "lead.one"), site_clock.seconds())


def test_a_counsellor_without_the_role_gets_403(app: Flask, clock: Clock) -> None:
    counsellor = login(app, clock, "staff.plain")
    for url in ("/staff/board", "/staff/board/frame"):
        assert counsellor.client.get(url).status_code == 403, url
    assert "/staff/board" not in counsellor.client.get("/staff/").get_data(as_text=True)


def test_logged_out_goes_to_the_login_page(app: Flask) -> None:
    for url in ("/staff/board", "/staff/board/frame"):
        response = app.test_client().get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/staff/login")


def test_admins_and_shift_leads_reach_the_board_and_see_it_in_the_menu(
    app: Flask, clock: Clock
) -> None:
    for name, roles in (("admin.lead", {"admin": True}), ("lead.two", {"shift_lead": True})):
        staff = login(app, clock, name, **roles)
        assert staff.client.get("/staff/board").status_code == 200
        assert 'href="/staff/board"' in staff.client.get("/staff/").get_data(as_text=True)


def test_an_admin_gives_and_takes_the_role(app: Flask, clock: Clock) -> None:
    admin = login(app, clock, "admin.one", admin=True)
    counsellor = login(app, clock, "staff.plain")
    target = user_id(app, "staff.plain")
    url = f"/staff/admin/users/{target}/shift-lead"
    assert admin.post(url, {"lead": "1"}, "/staff/admin/users").status_code == 302
    assert counsellor.client.get("/staff/board").status_code == 200  # the same session
    assert admin.post(url, {"lead": "0"}, "/staff/admin/users").status_code == 302
    assert counsellor.client.get("/staff/board").status_code == 403
    audit = page_text(admin.client.get("/staff/admin/audit"))
    assert audit.count(translated(app, "Shift lead role changed")) == 2  # who gave and took it


def test_a_new_account_can_be_made_shift_lead(app: Flask, clock: Clock) -> None:
    admin = login(app, clock, "admin.one", admin=True)
    data = {
        "username": "new.lead",
        "password": "another long passphrase 1234",
        "is_shift_lead": "y",
    }
    assert admin.post("/staff/admin/users", data).status_code == 302
    with app.app_context():
        user = db.session.scalars(select(StaffUser).where(StaffUser.username == "new.lead")).one()
        assert user.is_shift_lead
        assert not user.is_admin


def test_the_longest_wait_is_in_whole_minutes_rounded_down(tmp_path: Path) -> None:
    store = SqliteChatStore(tmp_path / "chat.sqlite3")
    t0 = 1_800_000_000.0
    assert chat_board(store, [], t0).longest_wait_minutes == 0
    store.open(token_hash(new_token()), "", "", t0)
    assert chat_board(store, [], t0 + 119).longest_wait_minutes == 1
    assert chat_board(store, [], t0 + 120).longest_wait_minutes == 2  # noqa: PLR2004
