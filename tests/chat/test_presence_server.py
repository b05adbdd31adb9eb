"""Chats that are really there, through a real gunicorn (issue 13).

Two visitors start a chat. One keeps the page open with JavaScript (its event stream stays
open); the other's browser is gone (it never polls again). With the store's clock moved past
the limit, the sweep drops the one who has gone and keeps the one whose stream is open, and
"take next" takes that one. Nothing sleeps: the test reads the stream's beats as they come.
"""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

import pytest

from app.chat.web import make_store
from tests.chat.test_servers import COUNSELLOR, chat_servers, get, post
from tests.chat.web import START_KEY, TOKEN_FIELD, view_pass_in

pytestmark = pytest.mark.server
BEAT = 0.5


def test_a_visitor_who_stops_polling_leaves_the_queue_and_an_open_stream_stays(
    tmp_path: Path,
) -> None:
    store_url = f"sqlite:///{tmp_path / 'chat.sqlite3'}"
    store = make_store(store_url)
    store.set_available(COUNSELLOR, True, time.time())
    with chat_servers(tmp_path, store_url, 1, CHAT_BEAT_SECONDS=str(BEAT)) as [server]:
        rooms = {}
        for message in ("gone", "here"):
            key = START_KEY.search(get(server, "/en/chat"))
            assert key, "no start form"
            room = post(server, "/en/chat/start", {"start_key": key.group(1), "message": message})
            assert TOKEN_FIELD.search(room), room[:500]
            rooms[message] = room
        ids = {queued.first_message: queued.chat_id for queued in store.queue(time.time())}
        gone = store.get(ids["gone"], time.time())
        assert gone is not None
        assert gone.seen is not None
        # The one who stays: the script's event stream, open; read until it has beaten twice
        # after the other visitor was last seen.
        events = f"{server.url}/en/chat/{view_pass_in(rooms['here'])}/events"
        with urllib.request.urlopen(events, timeout=60) as stream:  # noqa: S310 (our server)
            beats = 0
            while beats < 2:  # noqa: PLR2004
                line = stream.readline()
                assert line, "the stream ended before it beat twice"
                beats += line.startswith(b": beat")
            here = store.get(ids["here"], time.time())
            assert here is not None
            assert here.seen is not None
            assert here.seen > gone.seen
            # The store's clock: just past the limit for the one who has gone, not yet for
            # the one whose stream is open (seen at least a beat later).
            later = gone.seen + store.limits.waiting_gone_seconds + (here.seen - gone.seen) / 2
            ended = store.sweep(later)
            assert [(one.reason, one.was_waiting) for one in ended] == [("dropped", True)]
            assert [queued.chat_id for queued in store.queue(later)] == [ids["here"]]
            claimed = store.claim_next(COUNSELLOR, here.seen + 1)
            assert claimed is not None
            assert claimed.chat_id == ids["here"]
    store.close()
