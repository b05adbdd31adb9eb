#!/usr/bin/env python3
"""How fast is "open now"? Prints status computations per second and the cost per page render.

Run: .venv/bin/python bench/hours_status.py
Measures (1) the pure engine: channel_status + describe for both channels at random instants
over a year, (2) the worst case, nothing scheduled for 60 days, and (3) rendering the home page
with the test client, with and without the status blocks (the status replaced by None).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.hours import display  # noqa: E402
from app.hours.engine import channel_status, describe  # noqa: E402
from app.hours.schedule_json import parse_schedule  # noqa: E402
from app.hours.seed import PLACEHOLDER_HOURS  # noqa: E402
from tests.conftest import make_app  # noqa: E402

N = 20_000


def per_second(label: str, count: int, seconds: float) -> None:
    print(f"{label:<52} {count / seconds:>12,.0f} /s   {seconds / count * 1e6:>8.1f} µs each")


def engine() -> None:
    schedule = parse_schedule(PLACEHOLDER_HOURS)
    rng = random.Random(1)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    instants = [start + dt.timedelta(minutes=rng.randrange(365 * 24 * 60)) for _ in range(N)]
    began = time.perf_counter()
    for at in instants:
        for channel in schedule.channels.values():
            describe(channel_status(channel, schedule.timezone, at), at, schedule.timezone)
    per_second("status + phrase, both channels (placeholder hours)", N, time.perf_counter() - began)

    empty = parse_schedule(
        {
            "timezone": "Europe/Amsterdam",
            "channels": {"phone": {"weekly": {}, "holidays": "closed"}},
        }
    )
    channel = empty.channels["phone"]
    began = time.perf_counter()
    for at in instants[:2000]:
        channel_status(channel, empty.timezone, at)
    per_second(
        "status, nothing scheduled for 60 days (worst case)", 2000, time.perf_counter() - began
    )


def page_render() -> None:
    app = make_app(Path(tempfile.mkdtemp()))
    client = app.test_client()
    for _ in range(50):
        client.get("/nl/")
    rounds = 500
    began = time.perf_counter()
    for _ in range(rounds):
        client.get("/nl/")
    with_status = (time.perf_counter() - began) / rounds
    original = display.hours_status
    display.hours_status = lambda name: None  # type: ignore[assignment]
    app.jinja_env.globals["hours_status"] = display.hours_status
    app.jinja_env.globals["all_closed"] = lambda: False
    began = time.perf_counter()
    for _ in range(rounds):
        client.get("/nl/")
    without = (time.perf_counter() - began) / rounds
    display.hours_status = original
    print(f"{'home page render, with status':<52} {with_status * 1000:>12.2f} ms")
    print(f"{'home page render, status blocks left out':<52} {without * 1000:>12.2f} ms")
    print(f"{'cost of the status per page':<52} {(with_status - without) * 1000:>12.2f} ms")


if __name__ == "__main__":
    engine()
    page_render()
