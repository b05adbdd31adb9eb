"""The whole chat without JavaScript, through the test client: visitor and counsellor.

Start, wait at position 1, the counsellor takes it, messages both ways, end; and every other
way to end, the limits, the same 404 for every dead token, and no cookie for the visitor.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import gettext, ngettext

from app import clock as site_clock
from app.chat.web import chat_store, stream_slots
from tests.address_readers import client_address_readers
from tests.chat.test_proof import solve
from tests.chat.web import chat_address, open_chat_app, start_chat, start_form, token_of
from tests.staff.conftest import Account, Clock, StaffLogin, create_account

real_time = time.time
QUICK_EXIT = "https://www.buienradar.nl/"


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return open_chat_app(tmp_path)


@pytest.fixture
def visitor(app: Flask) -> Iterator[FlaskClient]:
    client = app.test_client()
    yield client
    assert not client.get_cookie("session")
    assert not list(client._cookies)  # noqa: SLF001  (no cookie of any name reached the visitor)


@pytest.fixture
def counsellor_account(app: Flask) -> Account:
    return create_account(app, "counsellor.one")


@pytest.fixture
def counsellor(app: Flask, clock: Clock, counsellor_account: Account) -> StaffLogin:
    login = StaffLogin(app.test_client(), clock)
    login.login(counsellor_account)
    login.post("/staff/chat/available", {"available": "1"}, form_url="/staff/chat")
    return login


def staff_text(app: Flask, text: str, **values: object) -> str:
    """A staff-area text as the (Dutch) staff area shows it."""
    with app.test_request_context("/staff/chat"):
        return str(gettext(text, **values))


def ngettext_staff(app: Flask, singular: str, plural: str, num: int) -> str:
    with app.test_request_context("/staff/chat"):
        return str(ngettext(singular, plural, num))


def frame(visitor: FlaskClient, token: str, **args: str) -> str:
    response = visitor.get(f"{chat_address(visitor, token)}/frame", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def take_next(counsellor: StaffLogin) -> str:
    response = counsellor.post("/staff/chat/take", {}, form_url="/staff/chat")
    assert response.status_code == 302
    return response.headers["Location"].rsplit("/", 1)[1]


def test_closed_without_a_counsellor(app: Flask, visitor: FlaskClient) -> None:
    page = visitor.get("/en/chat").get_data(as_text=True)
    assert "Start the chat" not in page
    assert "no counsellor is free right now" in page
    response = visitor.post("/en/chat/start", data={"message": "hello"})
    assert response.status_code == 409
    with app.app_context():
        assert chat_store().queue(site_clock.seconds()) == []


def test_the_whole_flow(app: Flask, visitor: FlaskClient, counsellor: StaffLogin) -> None:
    assert "Start the chat" in visitor.get("/en/chat").get_data(as_text=True)
    token = start_chat(visitor, nickname="Sam", message="I need to talk")
    waiting = visitor.get(f"{chat_address(visitor, token, 'en')}/frame").get_data(as_text=True)
    assert "Your place in the queue: 1" in waiting

    console = counsellor.client.get("/staff/chat/overview").get_data(as_text=True)
    assert "I need to talk" in console
    assert (
        ngettext_staff(app, "%(num)d person is waiting.", "%(num)d people are waiting.", 1)
        in console
    )
    chat_id = take_next(counsellor)

    joined = visitor.get(f"{chat_address(visitor, token, 'en')}/frame", query_string={"queue": "1"})
    assert "A counsellor is with you" in joined.get_data(as_text=True)
    room = visitor.post("/en/chat/view", data={"token": token}).get_data(as_text=True)
    assert 'name="message"' in room

    visitor.post("/en/chat/send", data={"token": token, "message": "Thank you for being here"})
    staff_frame = counsellor.client.get(f"/staff/chat/{chat_id}/frame").get_data(as_text=True)
    assert "Thank you for being here" in staff_frame
    assert "Sam" in staff_frame

    counsellor.post(
        f"/staff/chat/{chat_id}/send", {"message": "I am listening."}, f"/staff/chat/{chat_id}"
    )
    address = chat_address(visitor, token, "en")
    log = visitor.get(f"{address}/frame").get_data(as_text=True)
    texts = re.findall(r'class="chat__text">([^<]*)<', log)
    assert texts == ["I need to talk", "Thank you for being here", "I am listening."]

    ended = visitor.post("/en/chat/end", data={"token": token})
    assert "Everything in this chat has been deleted" in ended.get_data(as_text=True)
    assert visitor.post("/en/chat/view", data={"token": token}).status_code == 404
    assert visitor.get(f"{address}/frame").status_code == 404
    console = counsellor.client.get("/staff/chat/overview").get_data(as_text=True)
    assert staff_text(app, "The visitor ended the chat.") in console
    assert "I need to talk" not in console


def test_a_long_poll_with_nothing_new_answers_unchanged(
    app: Flask, visitor: FlaskClient, counsellor: StaffLogin
) -> None:
    app.config["CHAT_LONG_POLL_SECONDS"] = 1
    token = start_chat(visitor)
    take_next(counsellor)
    page = frame(visitor, token, after="2")  # nothing new: waits, then answers unchanged
    assert 'http-equiv="refresh"' in page
    assert "after=2" in page


def test_long_poll_returns_when_a_message_arrives(
    app: Flask, visitor: FlaskClient, counsellor: StaffLogin
) -> None:
    """The frame waits up to its full long poll (25 s here) for news, and answers as soon as
    the counsellor writes: it has answered well before its wait would have run out."""
    app.config["CHAT_LONG_POLL_SECONDS"] = 25
    token = start_chat(visitor)
    chat_id = take_next(counsellor)
    with app.app_context():
        slots = stream_slots()
    answer: dict[str, str] = {}
    waiter = threading.Thread(
        target=lambda: answer.update(page=frame(app.test_client(), token, after="2"))
    )
    waiter.start()
    deadline = time.monotonic() + 30
    while slots.open == 0:  # the frame is now waiting in its long poll
        assert time.monotonic() < deadline, "the frame never started waiting"
        time.sleep(0.02)
    with app.app_context():
        chat_store().post(
            chat_id, "counsellor", "an answer while you wait", site_clock.seconds(), by=None
        )
    waiter.join(timeout=15)
    assert not waiter.is_alive(), "the long poll did not answer when the message came"
    assert "an answer while you wait" in answer["page"]


def test_quick_exit_ends_the_chat_and_tells_the_counsellor(
    app: Flask, visitor: FlaskClient, counsellor: StaffLogin
) -> None:
    token = start_chat(visitor)
    chat_id = take_next(counsellor)
    room = visitor.post("/en/chat/view", data={"token": token})
    csp = room.headers["Content-Security-Policy"]
    assert "form-action 'self' https://www.buienradar.nl" in csp
    assert "frame-src 'self'" in csp
    response = visitor.post("/en/chat/exit", data={"token": token})
    assert response.status_code == 303
    assert response.headers["Location"] == QUICK_EXIT
    assert visitor.post("/en/chat/view", data={"token": token}).status_code == 404
    page = counsellor.client.get(f"/staff/chat/{chat_id}").get_data(as_text=True)
    assert staff_text(app, "The visitor left with quick exit.") in page


def test_quick_exit_always_leaves(visitor: FlaskClient) -> None:
    for data in ({}, {"token": "x" * 43}, {"token": "not a token"}):
        response = visitor.post("/nl/chat/exit", data=data)
        assert (response.status_code, response.headers["Location"]) == (303, QUICK_EXIT)


def test_every_dead_token_gets_the_same_404(
    app: Flask, visitor: FlaskClient, counsellor: StaffLogin
) -> None:
    ended = start_chat(visitor)
    visitor.post("/nl/chat/end", data={"token": ended})
    live = start_chat(visitor, message="other")
    with app.app_context():
        [waiting] = chat_store().queue(site_clock.seconds())
    answers = set()
    for token in (ended, "A" * 43, "short", waiting.chat_id, live[:-1] + "_"):
        response = visitor.post("/nl/chat/view", data={"token": token})
        answers.add((response.status_code, response.get_data(as_text=True)))
    assert len(answers) == 1
    assert next(iter(answers))[0] == 404


def test_cross_site_posts_are_refused(visitor: FlaskClient, counsellor: StaffLogin) -> None:
    token = start_chat(visitor)
    take_next(counsellor)
    for headers in (
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
    ):
        for path in ("/nl/chat/send", "/nl/chat/end", "/nl/chat/start", "/nl/chat/exit"):
            response = visitor.post(path, data={"token": token, "message": "x"}, headers=headers)
            assert response.status_code == 403, (path, headers)
    # Our own pages send no referrer, so browsers without Sec-Fetch-Site send Origin: null.
    ok = visitor.post("/nl/chat/view", data={"token": token}, headers={"Origin": "null"})
    assert ok.status_code == 200
    same = {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}
    assert visitor.post("/nl/chat/view", data={"token": token}, headers=same).status_code == 200


def test_flooding_gets_429_and_keeps_the_text(tmp_path: Path, clock: Clock) -> None:
    app = open_chat_app(tmp_path, visitor_messages_per_minute=2)
    visitor = app.test_client()
    account = create_account(app, "counsellor.two")
    counsellor = StaffLogin(app.test_client(), clock)
    counsellor.login(account)
    counsellor.post("/staff/chat/available", {"available": "1"}, form_url="/staff/chat")
    token = start_chat(visitor, message="")
    take_next(counsellor)
    for text in ("one", "two"):
        assert (
            visitor.post("/nl/chat/send", data={"token": token, "message": text}).status_code == 200
        )
    response = visitor.post("/nl/chat/send", data={"token": token, "message": "three, kept"})
    assert response.status_code == 429
    assert ">three, kept</textarea>" in response.get_data(as_text=True)


def test_too_long_and_empty_messages_are_refused_and_kept(
    visitor: FlaskClient, counsellor: StaffLogin
) -> None:
    token = start_chat(visitor)
    take_next(counsellor)
    long_text = "word " * 1000
    response = visitor.post("/nl/chat/send", data={"token": token, "message": long_text})
    assert response.status_code == 400
    assert long_text.strip() in response.get_data(as_text=True)
    assert visitor.post("/nl/chat/send", data={"token": token, "message": " "}).status_code == 400


def test_no_typing_while_alone(visitor: FlaskClient, counsellor: StaffLogin) -> None:
    token = start_chat(visitor)
    response = visitor.post("/en/chat/send", data={"token": token, "message": "anyone?"})
    assert response.status_code == 409
    assert "You can type once a counsellor has joined." in response.get_data(as_text=True)


def test_injection_is_inert_on_both_sides(visitor: FlaskClient, counsellor: StaffLogin) -> None:
    nasty = '<script>alert(1)</script><img src=x onerror="alert(2)">\u202eevil\u2066'
    token = start_chat(visitor, nickname="<b>Sam</b>", message=nasty)
    chat_id = take_next(counsellor)
    counsellor.post(f"/staff/chat/{chat_id}/send", {"message": nasty}, f"/staff/chat/{chat_id}")
    pages = [
        counsellor.client.get(f"/staff/chat/{chat_id}/frame").get_data(as_text=True),
        counsellor.client.get(f"/staff/chat/{chat_id}").get_data(as_text=True),
        visitor.get(f"{chat_address(visitor, token)}/frame").get_data(as_text=True),
    ]
    for page in pages:
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "<b>Sam" not in page
        assert "\u202e" not in page
        assert "\u2066" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[0]


def test_a_full_queue_is_busy_and_creates_nothing(tmp_path: Path) -> None:
    app = open_chat_app(tmp_path, max_waiting=1)
    with app.app_context():
        chat_store().set_available(99, True, site_clock.seconds())
    visitor = app.test_client()
    start_chat(visitor)
    response = visitor.post("/en/chat/start", data=start_form(visitor, message="me too"))
    assert response.status_code == 503
    assert "call us instead" in response.get_data(as_text=True)
    assert 'name="token"' not in response.get_data(as_text=True)
    with app.app_context():
        assert [q.first_message for q in chat_store().queue(site_clock.seconds())] == ["hello"]


def test_counsellor_at_the_limit_cannot_take_another(tmp_path: Path, clock: Clock) -> None:
    app = open_chat_app(tmp_path, max_parallel=1)
    account = create_account(app, "counsellor.three")
    counsellor = StaffLogin(app.test_client(), clock)
    counsellor.login(account)
    visitor = app.test_client()
    counsellor.post("/staff/chat/available", {"available": "1"}, form_url="/staff/chat")
    start_chat(visitor)
    start_chat(visitor)
    take_next(counsellor)
    response = counsellor.post("/staff/chat/take", {}, form_url="/staff/chat")
    assert response.headers["Location"].endswith("/staff/chat")
    console = counsellor.client.get("/staff/chat").get_data(as_text=True)
    assert (
        staff_text(app, "You already have the maximum number of chats. End one first.") in console
    )
    console = counsellor.client.get("/staff/chat/overview").get_data(as_text=True)
    assert (
        ngettext_staff(app, "%(num)d person is waiting.", "%(num)d people are waiting.", 1)
        in console
    )


def test_counsellor_ends_and_blocks(
    app: Flask, visitor: FlaskClient, counsellor: StaffLogin
) -> None:
    first = start_chat(visitor)
    first_id = take_next(counsellor)
    address = chat_address(visitor, first)
    counsellor.post(f"/staff/chat/{first_id}/end", {}, f"/staff/chat/{first_id}")
    gone = visitor.get(f"{address}/frame")
    assert gone.status_code == 404
    second = start_chat(visitor)
    second_id = take_next(counsellor)
    counsellor.post(f"/staff/chat/{second_id}/block", {}, f"/staff/chat/{second_id}")
    assert visitor.post("/nl/chat/view", data={"token": second}).status_code == 404
    console = counsellor.client.get("/staff/chat/overview").get_data(as_text=True)
    assert staff_text(app, "You ended the chat.") in console
    assert staff_text(app, "You ended and blocked the chat.") in console


def test_someone_elses_chat_is_a_404_for_a_counsellor(
    app: Flask, visitor: FlaskClient, counsellor: StaffLogin, clock: Clock
) -> None:
    start_chat(visitor)
    chat_id = take_next(counsellor)
    other = StaffLogin(app.test_client(), clock)
    other.login(create_account(app, "counsellor.other"))
    assert other.client.get(f"/staff/chat/{chat_id}").status_code == 404
    assert other.client.get(f"/staff/chat/{chat_id}/frame").status_code == 404


def test_transfer_to_a_colleague(
    app: Flask, visitor: FlaskClient, counsellor: StaffLogin, clock: Clock
) -> None:
    token = start_chat(visitor)
    chat_id = take_next(counsellor)
    colleague_account = create_account(app, "counsellor.four")
    colleague = StaffLogin(app.test_client(), clock)
    colleague.login(colleague_account)
    colleague.post("/staff/chat/available", {"available": "1"}, form_url="/staff/chat")
    page = counsellor.client.get(f"/staff/chat/{chat_id}").get_data(as_text=True)
    transfer = page.split('id="chat-transfer"', 1)[1].split("</select>", 1)[0]
    [colleague_id] = re.findall(r'<option value="(\d+)">counsellor.four</option>', transfer)
    counsellor.post(
        f"/staff/chat/{chat_id}/transfer", {"to": colleague_id}, f"/staff/chat/{chat_id}"
    )
    assert colleague.client.get(f"/staff/chat/{chat_id}").status_code == 200
    assert counsellor.client.get(f"/staff/chat/{chat_id}").status_code == 404
    log = visitor.get(f"{chat_address(visitor, token, 'en')}/frame").get_data(as_text=True)
    assert "Another counsellor has taken over the chat." in log


def test_canned_replies(app: Flask, visitor: FlaskClient, counsellor: StaffLogin) -> None:
    counsellor.post("/staff/chat/replies", {"title": "Welcome", "body": "Welcome, take your time."})
    token = start_chat(visitor)
    chat_id = take_next(counsellor)
    page = counsellor.client.get(f"/staff/chat/{chat_id}").get_data(as_text=True)
    [reply_id] = re.findall(r'<option value="(\d+)">Welcome</option>', page)
    counsellor.post(
        f"/staff/chat/{chat_id}/send", {"message": "", "reply": reply_id}, f"/staff/chat/{chat_id}"
    )
    log = visitor.get(f"{chat_address(visitor, token, 'en')}/frame").get_data(as_text=True)
    assert "Welcome, take your time." in log


def test_saving_a_copy(visitor: FlaskClient, counsellor: StaffLogin) -> None:
    token = start_chat(visitor, message="my own words")
    take_next(counsellor)
    response = visitor.post("/en/chat/copy", data={"token": token})
    assert response.mimetype == "text/plain"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "You: my own words" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


def test_server_sent_events(visitor: FlaskClient, counsellor: StaffLogin) -> None:
    visitor.application.config["CHAT_EVENTS_SECONDS"] = 1
    token = start_chat(visitor, message="first words")
    take_next(counsellor)
    response = visitor.get(f"{chat_address(visitor, token, 'en')}/events")
    assert response.mimetype == "text/event-stream"
    body = response.get_data(as_text=True)
    assert 'event: state\ndata: {"state": "active", "position": null, "typing": false}' in body
    assert 'id: 1\nevent: message\ndata: {"author": "visitor", "text": "first words"' in body
    resumed = visitor.get(
        f"{chat_address(visitor, token, 'en')}/events", headers={"Last-Event-ID": "1"}
    )
    assert "first words" not in resumed.get_data(as_text=True)
    assert token_of(visitor.post("/en/chat/view", data={"token": token}).get_data(as_text=True))


def test_the_public_status_is_honest_about_counsellors(app: Flask, visitor: FlaskClient) -> None:
    """Open by the hours is not enough: without a counsellor the chat is shown closed, and
    the pages (cached per minute) change the moment one becomes available."""
    chat = visitor.get("/api/status").get_json()["channels"]["chat"]
    assert (chat["open"], chat["counsellor_available"]) == (False, False)
    assert "no counsellor is free" in visitor.get("/en/").get_data(as_text=True)
    with app.app_context():
        chat_store().set_available(1, True, site_clock.seconds())
    chat = visitor.get("/api/status").get_json()["channels"]["chat"]
    assert (chat["open"], chat["counsellor_available"]) == (True, True)
    home = visitor.get("/en/").get_data(as_text=True)
    assert "no counsellor is free" not in home
    assert "Start the chat" in visitor.get("/en/chat").get_data(as_text=True)
    at = visitor.get("/api/status?at=2026-12-01T12:00:00%2B01:00").get_json()
    assert "counsellor_available" not in at["channels"]["chat"]


def test_nothing_reads_the_client_address() -> None:
    """No code of the app looks at who is asking: not for limits, not for blocking, not at all.

    Abuse limits are global or per chat (app/chat/store.py, Limits); blocking revokes a token.
    """
    assert client_address_readers() == []


@pytest.mark.parametrize("junk", ["²", "٣", "-1", "9" * 30, "", "x"])
def test_console_numbers_are_never_a_500(
    visitor: FlaskClient, counsellor: StaffLogin, junk: str
) -> None:
    start_chat(visitor)
    chat_id = take_next(counsellor)
    page = f"/staff/chat/{chat_id}"
    assert counsellor.post(f"{page}/transfer", {"to": junk}, page).status_code == 302
    sent = counsellor.post(f"{page}/send", {"message": "", "reply": junk}, page)
    assert sent.status_code == 400
    assert counsellor.client.get(f"{page}/frame?after={junk}").status_code == 200


def test_transfer_only_to_an_available_colleague(
    app: Flask, visitor: FlaskClient, counsellor: StaffLogin
) -> None:
    start_chat(visitor)
    chat_id = take_next(counsellor)
    away = create_account(app, "counsellor.away")  # never opened the console
    with app.app_context():
        from sqlalchemy import select

        from app.db import db
        from app.staff.accounts import StaffUser

        away_id = db.session.scalars(select(StaffUser).filter_by(username=away.username)).one().id
    page = f"/staff/chat/{chat_id}"
    counsellor.post(f"{page}/transfer", {"to": str(away_id)}, page)
    assert counsellor.client.get(page).status_code == 200  # still ours


def test_a_start_replayed_from_history_starts_nothing(
    app: Flask, visitor: FlaskClient, counsellor: StaffLogin
) -> None:
    """Back, then "resubmit" (say, after quick exit on a shared device): no new chat, and
    nothing of the first message is shown again."""
    form = start_form(visitor, message="words from before")
    assert visitor.post("/en/chat/start", data=form).status_code == 200
    replay = visitor.post("/en/chat/start", data=form)
    assert replay.status_code == 409
    assert "words from before" not in replay.get_data(as_text=True)
    assert 'name="token"' not in replay.get_data(as_text=True)
    with app.app_context():
        assert len(chat_store().queue(site_clock.seconds())) == 1


def test_a_forged_or_old_start_form_is_refused_and_keeps_the_text(
    app: Flask, visitor: FlaskClient, counsellor: StaffLogin, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("", "made-up", start_form(visitor)["start_key"] + "x"):
        data = {"start_key": key, "message": "my words"}
        response = visitor.post("/en/chat/start", data=data)
        assert response.status_code == 400
        assert ">my words</textarea>" in response.get_data(as_text=True)
    form = start_form(visitor, message="later words")
    monkeypatch.setattr(time, "time", lambda: real_time() + 3 * 3600)  # the form is 3 hours old
    with app.app_context():
        chat_store().set_available(1, True, site_clock.seconds())  # the counsellor is still there
    response = visitor.post("/en/chat/start", data=form)
    assert response.status_code == 400
    assert ">later words</textarea>" in response.get_data(as_text=True)


def test_the_console_overview_answers_when_something_changes(
    app: Flask, visitor: FlaskClient, counsellor: StaffLogin
) -> None:
    """The overview frame long-polls: with nothing new it waits, a new visitor ends the wait."""
    app.config["CHAT_LONG_POLL_SECONDS"] = 1
    first = counsellor.client.get("/staff/chat/overview").get_data(as_text=True)
    seen = re.search(r"seen=([0-9a-f]+)", first)
    assert seen
    started = time.monotonic()
    unchanged = counsellor.client.get(f"/staff/chat/overview?seen={seen.group(1)}")
    assert time.monotonic() - started >= 0.9  # it waited for news
    assert f"seen={seen.group(1)}" in unchanged.get_data(as_text=True)
    start_chat(visitor, message="news")
    changed = counsellor.client.get(f"/staff/chat/overview?seen={seen.group(1)}")
    assert "news" in changed.get_data(as_text=True)
    assert 'http-equiv="refresh" content="0;' in changed.get_data(as_text=True)


ADDRESSES = re.compile(r'(?:src|href|data-events|content)="([^"]*)"')


def test_no_chat_address_carries_the_token_and_the_frame_has_no_token(
    visitor: FlaskClient, counsellor: StaffLogin
) -> None:
    """Issue 16: the token must never be in a GET address (frames and streams reach the
    browser's history and session files), nor in a frame, which such an address opens."""
    token = start_chat(visitor)
    take_next(counsellor)
    room = visitor.post("/en/chat/view", data={"token": token}).get_data(as_text=True)
    addresses = ADDRESSES.findall(room)
    assert any("/frame" in address for address in addresses)
    assert any("/events" in address for address in addresses)
    assert [address for address in addresses if token in address] == []
    frame_address = re.search(r'src="([^"#]+)', room.split('class="chat__frame"', 1)[1])
    assert frame_address
    frame = visitor.get(frame_address.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "chat__log" in frame
    assert token not in frame
    assert chat_address(visitor, token) not in frame  # each answer hands out a fresh pass


def test_a_frame_address_is_dead_after_its_minute_while_the_chat_runs(
    app: Flask, visitor: FlaskClient, counsellor: StaffLogin, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An address copied from the history shows nothing once Limits.view_seconds have passed;
    the visitor's own page, answering with fresh passes, goes on working."""
    token = start_chat(visitor, message="words of mine")
    take_next(counsellor)
    old = f"{chat_address(visitor, token, 'en')}/frame?auto=0"
    assert "words of mine" in visitor.get(old).get_data(as_text=True)
    monkeypatch.setattr(time, "time", lambda: real_time() + 61)
    with app.app_context():
        chat_store().set_available(1, True, site_clock.seconds())
    expired = visitor.get(old)
    assert expired.status_code == 404
    assert "words of mine" not in expired.get_data(as_text=True)
    assert "This view has expired" in expired.get_data(as_text=True)
    assert visitor.get(old.replace("/frame", "/events")).status_code == 404
    fresh = f"{chat_address(visitor, token, 'en')}/frame?auto=0"
    assert "words of mine" in visitor.get(fresh).get_data(as_text=True)


def test_a_frame_address_is_dead_once_the_chat_ends(
    visitor: FlaskClient, counsellor: StaffLogin
) -> None:
    token = start_chat(visitor, message="words of mine")
    take_next(counsellor)
    address = chat_address(visitor, token, "en")
    visitor.post("/en/chat/end", data={"token": token})
    for part in ("frame", "frame?auto=0", "events"):
        response = visitor.get(f"{address}/{part}")
        assert response.status_code == 404
        assert "words of mine" not in response.get_data(as_text=True)


def test_a_forged_view_pass_is_a_404(visitor: FlaskClient, counsellor: StaffLogin) -> None:
    token = start_chat(visitor)
    address = chat_address(visitor, token, "en")
    head, signature = address.rsplit(".", 1)
    for forged in (f"{head}.{signature[::-1]}", f"/en/chat/{token}", "/en/chat/x"):
        assert visitor.get(f"{forged}/frame").status_code == 404
        assert visitor.get(f"{forged}/events").status_code == 404


def test_the_event_stream_names_its_next_address(
    visitor: FlaskClient, counsellor: StaffLogin
) -> None:
    """The browser would reconnect to the old address, which expires; the stream hands the
    script a fresh one, with the cursor, at its start and before it ends."""
    visitor.application.config["CHAT_EVENTS_SECONDS"] = 1
    token = start_chat(visitor, message="first words")
    take_next(counsellor)
    body = visitor.get(f"{chat_address(visitor, token, 'en')}/events").get_data(as_text=True)
    renewals = re.findall(r'event: pass\ndata: "([^"]+)"', body)
    assert len(renewals) == 2
    assert renewals[-1].endswith("after=2")  # the visitor's first words, the counsellor joined
    assert token not in body
    resumed = visitor.get(renewals[-1]).get_data(as_text=True)
    assert "first words" not in resumed
    assert 'event: state\ndata: {"state": "active"' in resumed


def test_a_scripted_flood_holds_a_few_places_and_a_real_visitor_gets_in(
    app: Flask, visitor: FlaskClient
) -> None:
    """Issue 16, item 7: 25 starts in a row, each from a fresh form as a script would send
    them, took the whole queue and every real visitor got 503. A start without the browser's
    proof of work now gets one of Limits.unproven_waiting places at most; a visitor whose
    browser did the work (as static/js/chat-start.js does) still gets in."""
    with app.app_context():
        chat_store().set_available(1, True, site_clock.seconds())
        limits = chat_store().limits
    answers = [
        visitor.post("/nl/chat/start", data=start_form(visitor)).status_code for _ in range(25)
    ]
    assert answers.count(200) == limits.unproven_waiting
    assert set(answers) == {200, 503}
    with app.app_context():
        assert len(chat_store().queue(site_clock.seconds())) == limits.unproven_waiting
    form = start_form(visitor, message="a real visitor")
    form["proof"] = solve(form["start_key"], limits.proof_bits)
    real = visitor.post("/nl/chat/start", data=form)
    assert real.status_code == 200
    assert token_of(real.get_data(as_text=True))
    held = limits.unproven_waiting / limits.max_waiting
    assert held <= 0.15  # the flood's share of the queue


def test_a_proof_made_for_another_form_counts_for_nothing(app: Flask, visitor: FlaskClient) -> None:
    with app.app_context():
        chat_store().set_available(1, True, site_clock.seconds())
        limits = chat_store().limits
    other = start_form(visitor)["start_key"]
    proof = solve(other, limits.proof_bits)
    for _ in range(limits.unproven_waiting + 2):
        form = {**start_form(visitor), "proof": proof}
        visitor.post("/nl/chat/start", data=form)
    with app.app_context():
        assert len(chat_store().queue(site_clock.seconds())) == limits.unproven_waiting
