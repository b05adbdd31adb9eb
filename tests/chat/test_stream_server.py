"""The deployment's two servers: pages on gthread, the chat's streams on gevent, nginx between.

A visitor starts a chat through nginx (the page server), and the frame's long poll and the
event stream go, by their path, to the gevent server (deploy/nginx/helpline-site.conf): they
still work with the page server stopped. A counsellor's message reaches both, on the SQLite
store and on Redis: the stores, and the database (PostgreSQL in that run of the suite),
behave under gevent's patched sockets and sleeps.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from pathlib import Path

import pytest

from app.chat.web import make_store
from tests.chat.test_servers import COUNSELLOR
from tests.chat.web import ALWAYS_OPEN, START_KEY, TOKEN_FIELD, view_pass_in
from tests.live_server import LiveServer
from tests.nginx_server import NginxServer

pytestmark = pytest.mark.server


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_a_chat_through_nginx_streams_from_the_gevent_server(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        store_url = f"sqlite:///{tmp_path / 'chat' / 'chat.sqlite3'}"
    else:
        store_url = request.getfixturevalue("redis_url").rsplit("/", 1)[0] + "/4"
    hours = tmp_path / "hours.json"
    hours.write_text(json.dumps(ALWAYS_OPEN))
    pages = LiveServer(tmp_path, setup=[["hours", "import", str(hours)]], CHAT_STORE_URL=store_url)
    with pages:
        # A short stream: the test reads one to its end (its renewal), not the default 25 s.
        streams = pages.companion(
            "streams", GUNICORN_WORKER_CLASS="gevent", CHAT_EVENTS_SECONDS="3"
        )
        with streams, NginxServer(tmp_path, pages.port, streams_port=streams.port) as nginx:
            store = make_store(store_url)
            store.set_available(COUNSELLOR, True, time.time())
            start_page = nginx.request("/en/chat")[2].decode()
            key = START_KEY.search(start_page)
            assert key, "no start form"
            body = urllib.parse.urlencode({"start_key": key.group(1), "message": "hello"})
            room = nginx.request("/en/chat/start", data=body.encode())[2].decode()
            token = TOKEN_FIELD.search(room)
            assert token, room[:300]
            info = store.claim_next(COUNSELLOR, time.time())
            assert info is not None
            store.post(
                info.chat_id, "counsellor", "from the counsellor", time.time(), by=COUNSELLOR
            )
            # The page server stops (its database stays): streams must not need it.
            assert pages.process is not None
            pages.process.terminate()
            pages.process.wait(timeout=30)
            assert nginx.request("/en/contact")[0] == 503  # pages: the fallback

            frame = f"/en/chat/{view_pass_in(room)}"
            status, _, page = nginx.request(f"{frame}/frame")
            assert status == 200
            assert b"from the counsellor" in page
            status, headers, events = nginx.request(f"{frame}/events")
            assert status == 200
            assert headers["Content-Type"].startswith("text/event-stream")
            assert b'"text": "from the counsellor"' in events
            store.end(info.chat_id, "counsellor", time.time())
    assert "Traceback" not in streams.output(), streams.output()
