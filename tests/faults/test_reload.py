"""A graceful reload (`kill -HUP` to the gunicorn master) while requests keep coming: none fail.

A thread requests the home page in a loop (a new connection each time, as many visitors
would) while the master is sent HUP twice; the loop ends once the workers have been replaced,
bounded in count and time. bench/reload_under_load does the same at 50 connections with wrk.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.live_server import LiveServer

pytestmark = pytest.mark.server

MAX_REQUESTS = 2000
MAX_SECONDS = 60.0


def workers(master: int) -> set[int]:
    return {int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()}


def wait_for_new_workers(master: int, old: set[int], deadline: float) -> set[int]:
    while time.monotonic() < deadline:
        current = workers(master)
        if current and not current & old:
            return current
        time.sleep(0.1)
    pytest.fail("the workers were not replaced in time")


REQUESTS_PER_PHASE = 10  # answered before each reload, and after the last one


def wait_for_requests(statuses: list[int | str], count: int, deadline: float) -> None:
    """Until the visitor has had `count` answers in all (a loaded machine answers slowly)."""
    while len(statuses) < count:
        if time.monotonic() > deadline:
            pytest.fail("the visitor got too few answers in time")
        time.sleep(0.05)


def test_no_request_fails_during_a_graceful_reload(tmp_path: Path) -> None:
    statuses: list[int | str] = []
    done = threading.Event()

    def visit(url: str) -> None:
        while not done.is_set() and len(statuses) < MAX_REQUESTS:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    response.read()
                    statuses.append(response.status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
            except OSError as error:
                statuses.append(type(error).__name__)

    with LiveServer(tmp_path) as server:
        assert server.process is not None
        master = server.process.pid
        deadline = time.monotonic() + MAX_SECONDS
        visitor = threading.Thread(target=visit, args=(server.url + "/nl/",))
        visitor.start()
        try:
            generation = workers(master)
            for _ in range(2):
                wait_for_requests(statuses, len(statuses) + REQUESTS_PER_PHASE, deadline)
                os.kill(master, signal.SIGHUP)
                generation = wait_for_new_workers(master, generation, deadline)
            # Requests to the new workers too.
            wait_for_requests(statuses, len(statuses) + REQUESTS_PER_PHASE, deadline)
        finally:
            done.set()
            visitor.join(timeout=30)

    failures = [status for status in statuses if status != 200]
    assert len(statuses) >= 20, "too few requests to prove anything"
    assert failures == [], f"{len(failures)} of {len(statuses)} requests failed: {failures[:10]}"
