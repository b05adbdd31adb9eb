"""Open streams: one per chat (the newest wins), and a cap per process that slows streams down
before they can take the connections pages need (app/chat/streams.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import clock as site_clock
from app.chat.streams import StreamSlots, TooManyStreams
from app.chat.web import chat_store, stream_slots
from tests.chat.web import chat_address, open_chat_app, start_chat

TIMEOUT = 30.0  # generous: each wait ends on its event long before


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_a_newer_stream_for_the_same_chat_replaces_the_older() -> None:
    slots = StreamSlots(limit=10)
    with slots.slot("chat-a") as older, slots.slot("chat-b") as other:
        assert not older.is_set()
        with slots.slot("chat-a") as newer:
            assert older.is_set()
            assert not newer.is_set()
            assert not other.is_set()
            assert slots.open == 3  # noqa: PLR2004
    assert slots.open == 0


def test_past_the_cap_a_stream_is_refused_until_one_ends() -> None:
    slots = StreamSlots(limit=1)
    with slots.slot("chat-a"):
        with pytest.raises(TooManyStreams), slots.slot("chat-b"):
            pass
        assert slots.open == 1
    with slots.slot("chat-b"):
        assert slots.open == 1


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    """An open chat with a counsellor available, and room for two open streams."""
    app = open_chat_app(tmp_path, streams_per_process=2)
    with app.app_context():
        chat_store().set_available(7, True, site_clock.seconds())
    return app


@pytest.fixture
def visitor(app: Flask) -> Iterator[FlaskClient]:
    with app.test_client() as client:
        yield client


class Stream:
    """An event stream opened and read in a thread of its own, as a server thread would."""

    def __init__(self, app: Flask, address: str) -> None:
        self.body = ""
        self.thread = threading.Thread(target=self._read, args=(app, address), daemon=True)
        self.thread.start()

    def _read(self, app: Flask, address: str) -> None:
        response = app.test_client().get(f"{address}/events", buffered=False)
        for chunk in response.response:
            self.body += chunk.decode() if isinstance(chunk, bytes) else chunk
        response.close()

    def join(self) -> None:
        self.thread.join(TIMEOUT)
        assert not self.thread.is_alive(), "the stream is still open"


def end_chat(visitor: FlaskClient, token: str) -> None:
    """The visitor ends the chat: its open streams say so and close."""
    assert visitor.post("/nl/chat/end", data={"token": token}).status_code < 400  # noqa: PLR2004


def test_opening_the_chat_again_ends_the_older_stream(app: Flask, visitor: FlaskClient) -> None:
    token = start_chat(visitor)
    address = chat_address(visitor, token)
    with app.app_context():
        slots = stream_slots()
    first = Stream(app, address)
    wait_for(lambda: slots.open == 1, "the first stream to wait")
    second = Stream(app, address)
    first.join()
    assert "event: replaced" in first.body
    end_chat(visitor, token)
    second.join()
    assert "event: replaced" not in second.body
    assert '"state": "ended"' in second.body
    assert slots.open == 0


def test_streams_past_the_cap_are_asked_to_slow_down(app: Flask, visitor: FlaskClient) -> None:
    tokens = [start_chat(visitor) for _ in range(3)]
    addresses = [chat_address(visitor, token) for token in tokens]
    with app.app_context():
        slots = stream_slots()
    held = [Stream(app, address) for address in addresses[:2]]
    wait_for(lambda: slots.open == 2, "two streams to wait")  # noqa: PLR2004

    refused = visitor.get(f"{addresses[2]}/events").get_data(as_text=True)
    assert "event: busy\ndata: 10" in refused
    frame = visitor.get(f"{addresses[2]}/frame?after=1").get_data(as_text=True)
    assert 'http-equiv="refresh" content="10; url=' in frame  # answered now, polls later

    for token, stream in zip(tokens, held, strict=False):
        end_chat(visitor, token)
        stream.join()
    assert slots.open == 0
    frame = visitor.get(f"{addresses[2]}/frame?after=1").get_data(as_text=True)
    assert 'http-equiv="refresh" content="0; url=' in frame  # a slot again: it waited
