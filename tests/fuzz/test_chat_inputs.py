"""Fuzzing the chat's inputs: forms, tokens, cursors and headers never give a 500.

A visitor with a live chat (a counsellor has taken it) posts junk to every chat form and asks
for frames and event streams with junk cursors and Last-Event-ID headers. The answer is always
a clear status (200, 204, 303, 400, 404, 409, 429), never a 500 or a stack trace. The event
stream is given a 1 second life so that each example stays short.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from app import clock as site_clock
from app.chat.web import chat_store
from tests.chat.web import chat_address, open_chat_app, start_chat
from tests.fuzz.conftest import STACK_TRACE_SIGNS

CHAT_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
CLEAR = {200, 204, 303, 400, 403, 404, 409, 413, 429}
JUNK = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=5000),
    st.sampled_from(
        ["", "0", "-1", "99999999999999999999999", "1e9", "\u202e", "\x00", "A" * 43, "²", "٣"]
    ),
)


@pytest.fixture(scope="module")
def live_chat(tmp_path_factory: pytest.TempPathFactory) -> tuple[Flask, str]:
    app = open_chat_app(
        tmp_path_factory.mktemp("chat-fuzz"),
        visitor_messages_per_minute=1000,
        new_per_minute=1000,
        max_waiting=1000,
    )
    with app.app_context():
        chat_store().set_available(1, True, site_clock.seconds())
    token = start_chat(app.test_client())
    with app.app_context():
        chat_store().claim_next(1, site_clock.seconds())
    return app, token


def assert_clear(response_status: int, body: str) -> None:
    assert response_status in CLEAR, response_status
    assert not any(sign in body for sign in STACK_TRACE_SIGNS)


@CHAT_SETTINGS
@given(
    path=st.sampled_from(["start", "view", "send", "end", "copy"]),
    token=st.one_of(st.none(), JUNK),
    fields=st.dictionaries(st.sampled_from(["nickname", "message", "x"]), JUNK, max_size=3),
)
def test_chat_forms(
    live_chat: tuple[Flask, str], path: str, token: str | None, fields: dict[str, str]
) -> None:
    app, live = live_chat
    client: FlaskClient = app.test_client()
    data = dict(fields)
    if token is not None:
        data["token"] = token
    elif path in ("send", "copy", "view"):
        data["token"] = live
    response = client.post(f"/nl/chat/{path}", data=data)
    assert_clear(response.status_code, response.get_data(as_text=True))


@CHAT_SETTINGS
@given(after=JUNK, auto=JUNK, queue=JUNK, last_event=JUNK)
@example(after="99999999999999999999999", auto="1", queue="", last_event="\r\u00b21\n")
def test_frames_and_events(
    live_chat: tuple[Flask, str],
    after: str,
    auto: str,
    queue: str,
    last_event: str,
) -> None:
    app, live = live_chat
    app.config.update(
        CHAT_LONG_POLL_SECONDS=0.1, CHAT_EVENTS_SECONDS=0.2, CHAT_QUEUE_WAIT_SECONDS=0.1
    )
    client = app.test_client()
    query = {"after": after, "auto": auto, "queue": queue}
    address = chat_address(client, live, "en")
    frame = client.get(f"{address}/frame", query_string=query)
    assert_clear(frame.status_code, frame.get_data(as_text=True))
    # What a client can send at all: Latin-1, no line breaks (the test client refuses others).
    safe_header = re.sub(r"[\r\n]", "", last_event.encode("latin-1", "ignore").decode("latin-1"))
    events = client.get(f"{address}/events", headers={"Last-Event-ID": safe_header})
    assert_clear(events.status_code, events.get_data(as_text=True))


def test_a_huge_cursor_is_no_overflow(live_chat: tuple[Flask, str]) -> None:
    app, live = live_chat
    client = app.test_client()
    response = client.get(f"{chat_address(client, live, 'en')}/frame?auto=0&after={2**70}")
    assert response.status_code == 200
