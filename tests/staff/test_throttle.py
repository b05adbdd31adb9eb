"""The login throttle holds under real concurrency, forgets what it no longer needs, and only
counts failures.

The parallel tests run against a real gunicorn (two worker processes with many threads each,
as shipped) with many clients sent off together by a barrier: the count-and-check must be one
atomic statement for them to pass, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pyotp
import pytest
from flask import Flask

from app.db import db
from app.staff.accounts import StaffSession
from app.staff.auth import MAX_FAILURES, SECOND_STEP
from app.staff.throttle import THROTTLE_WINDOW, LoginThrottle
from tests.live_server import LiveServer
from tests.staff.conftest import Account, Clock, StaffLogin, csrf_token, totp_code
from tests.staff.live_client import Answer, Client, add_accounts, throttle_counts

PASSWORD = "a long and unusual passphrase 42"
PARALLEL = 40


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("throttle")) as live:
        yield live


def all_at_once(count: int, attempt: Callable[[], Answer]) -> list[Answer]:
    """Run `attempt` in `count` threads that are released together."""
    barrier = threading.Barrier(count)

    def run() -> Answer:
        barrier.wait()
        return attempt()

    with ThreadPoolExecutor(count) as pool:
        futures = [pool.submit(run) for _ in range(count)]
        return [future.result() for future in futures]


def test_parallel_wrong_passwords_are_checked_at_most_the_limit_and_the_right_one_is_refused(
    server: LiveServer,
) -> None:
    add_accounts(server, ["flood.password"], PASSWORD)
    clients = [Client(server.url) for _ in range(PARALLEL)]
    forms = [
        {"csrf_token": client.csrf_token("/staff/login"), "username": "flood.password"}
        for client in clients
    ]
    turns = iter(range(PARALLEL))
    lock = threading.Lock()

    def wrong() -> Answer:
        with lock:
            n = next(turns)
        return clients[n].post("/staff/login", {**forms[n], "password": f"wrong guess {n}"})

    answers = all_at_once(PARALLEL, wrong)
    assert {answer.status for answer in answers} == {200}  # refused, and no 5xx
    # Counted exactly up to the limit: every attempt beyond it was refused unchecked.
    assert throttle_counts(server, "flood.password") == [MAX_FAILURES]
    late = Client(server.url)
    token = late.csrf_token("/staff/login")
    right = late.post(
        "/staff/login", {"csrf_token": token, "username": "flood.password", "password": PASSWORD}
    )
    assert right.status == 200, right.location  # the right password, after the limit: refused


def test_parallel_wrong_totp_codes_are_checked_at_most_the_limit_and_the_right_one_is_refused(
    server: LiveServer,
) -> None:
    secret = add_accounts(server, ["flood.code"], PASSWORD)["flood.code"]
    client = Client(server.url)
    token = client.csrf_token("/staff/login")
    step = client.post(
        "/staff/login", {"csrf_token": token, "username": "flood.code", "password": PASSWORD}
    )
    assert step.location.endswith("/staff/login/code")
    token = client.csrf_token("/staff/login/code")
    totp = pyotp.TOTP(secret)
    moment = int(time.time())
    valid = {totp.at(moment + drift * 30) for drift in (-2, -1, 0, 1, 2)}
    wrong = next(f"{n:06d}" for n in range(100) if f"{n:06d}" not in valid)
    cookies = dict(client.cookies)

    def guess() -> Answer:
        copy = Client(server.url)  # the same session cookie in every thread, as an attacker has
        copy.cookies = dict(cookies)
        return copy.post("/staff/login/code", {"csrf_token": token, "code": wrong})

    answers = all_at_once(PARALLEL, guess)
    assert all(answer.status in (200, 302) for answer in answers), [a.status for a in answers]
    assert throttle_counts(server, "flood.code") == [MAX_FAILURES]
    right = client.post("/staff/login/code", {"csrf_token": token, "code": totp.now()})
    assert not right.location.endswith("/staff/"), "logged in after the limit"
    assert client.get("/staff/").status == 302


def test_a_right_password_does_not_count_as_a_failure(
    staff: StaffLogin, admin: Account, clock: Clock
) -> None:
    for _attempt in range(MAX_FAILURES - 1):
        assert staff.password_step(admin, password="wrong password entirely") == ""
    location = staff.password_step(admin)
    assert location.endswith("/staff/login/code")
    token = csrf_token(staff.client, location)
    clock.advance(seconds=30)
    response = staff.client.post(
        location, data={"csrf_token": token, "code": totp_code(admin.secret, clock)}
    )
    assert response.headers["Location"] == "/staff/"


def throttle_rows(app: Flask) -> int:
    with app.app_context():
        return db.session.query(LoginThrottle).count()


def session_rows(app: Flask) -> int:
    with app.app_context():
        return db.session.query(StaffSession).count()


def test_expired_throttle_rows_and_abandoned_logins_are_purged_at_the_next_password_step(
    app: Flask, staff: StaffLogin, admin: Account, clock: Clock
) -> None:
    for name in ("tried.once", "tried.twice"):
        staff.password_step(Account(name, "", ""), password="wrong password entirely")
    assert staff.password_step(admin).endswith("/staff/login/code")  # a login left halfway
    assert (throttle_rows(app), session_rows(app)) == (3, 1)
    clock.advance(seconds=SECOND_STEP.total_seconds() + 1)
    staff.password_step(Account("tried.later", "", ""), password="wrong password entirely")
    assert session_rows(app) == 0  # the abandoned login is gone
    assert throttle_rows(app) == 4  # the windows are still running
    clock.advance(seconds=THROTTLE_WINDOW.total_seconds() + 1)
    staff.password_step(Account("tried.last", "", ""), password="wrong password entirely")
    assert throttle_rows(app) == 1  # only the attempt just made
