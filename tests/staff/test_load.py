"""Logins under load get slower, never errors: 16 clients log in at once against a real
gunicorn (the shipped config), each hammering the same throttle row with a wrong attempt
first, and not one answer is a 5xx. Before, this gave IntegrityError (two first attempts
inserting one throttle row), StaleDataError and "database is locked" (a write lock held while
a password was hashed) as 503s for everyone in the staff area."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pyotp
import pytest

from tests.live_server import LiveServer
from tests.staff.live_client import Answer, Client, add_accounts

PASSWORD = "a long and unusual passphrase 42"
CLIENTS = 16
ACCOUNTS_EACH = 2


@pytest.fixture
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("load")) as live:
        yield live


def log_in(client: Client, username: str, secret: str) -> list[Answer]:
    """One wrong attempt on a shared username, then a whole login and a few staff pages."""
    answers = []
    token = client.csrf_token("/staff/login")
    answers.append(
        client.post(
            "/staff/login", {"csrf_token": token, "username": "shared.name", "password": "wrong"}
        )
    )
    token = client.csrf_token("/staff/login")
    mine = {"csrf_token": token, "username": username, "password": PASSWORD}
    answers.append(client.post("/staff/login", mine))
    token = client.csrf_token("/staff/login/code")
    code = pyotp.TOTP(secret).now()
    answers.append(client.post("/staff/login/code", {"csrf_token": token, "code": code}))
    answers.extend(client.get(path) for path in ("/staff/", "/staff/hours", "/staff/notice"))
    token = client.csrf_token("/staff/")
    answers.append(client.post("/staff/logout", {"csrf_token": token}))
    return answers


def test_sixteen_clients_logging_in_at_once_get_no_server_error(server: LiveServer) -> None:
    names = [f"load.{n:02d}" for n in range(CLIENTS * ACCOUNTS_EACH)]
    secrets = add_accounts(server, names, PASSWORD)
    barrier = threading.Barrier(CLIENTS)

    def client_run(first: int) -> list[tuple[str, int, str]]:
        barrier.wait()
        seen = []
        for name in names[first : first + ACCOUNTS_EACH]:
            answers = log_in(Client(server.url), name, secrets[name])
            seen.extend((name, answer.status, answer.location) for answer in answers)
        return seen

    with ThreadPoolExecutor(CLIENTS) as pool:
        runs = [pool.submit(client_run, n * ACCOUNTS_EACH) for n in range(CLIENTS)]
        seen = [item for run in runs for item in run.result()]
    errors = [item for item in seen if item[1] >= 500]  # noqa: PLR2004
    assert errors == []
    logged_in = [name for name, status, location in seen if location.endswith("/staff/")]
    assert sorted(logged_in) == names  # and every one of them got in
