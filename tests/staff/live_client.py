"""A small HTTP client for staff tests against a real gunicorn (tests/live_server.py).

It keeps cookies like a browser, reads CSRF tokens from forms and never follows a redirect,
so a test sees every answer. Safe to use from many threads: each thread has its own client.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

import pyotp
from sqlalchemy import create_engine, insert, text

from app.staff.accounts import StaffUser
from app.staff.auth import hash_password
from tests.live_server import LiveServer

ANSWER_TIMEOUT = 120  # seconds: generous, for a loaded 2-core machine; not a speed check


@dataclass
class Answer:
    status: int
    location: str
    body: str


class Client:
    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Answer:
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=ANSWER_TIMEOUT)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return Answer(response.status, response.headers.get("Location", ""), text)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]) -> Answer:
        return self.request("POST", path, form)

    def csrf_token(self, path: str) -> str:
        page = self.get(path)
        match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page.body)
        assert match, f"no CSRF token on {path}: {page.status}"
        return match.group(1)


def database_url(server: LiveServer) -> str:
    return server.database_url or f"sqlite:///{server.instance / 'site.sqlite3'}"


def add_accounts(server: LiveServer, names: list[str], password: str) -> dict[str, str]:
    """Enrolled staff accounts written straight into the server's database; name -> TOTP secret.

    Quicker than one `flask staff create-admin` process per account; the hash is the real one.
    """
    secrets = {name: pyotp.random_base32() for name in names}
    password_hash = hash_password(password)
    engine = create_engine(database_url(server))
    try:
        with engine.begin() as connection:
            connection.execute(
                insert(StaffUser.__table__),
                [
                    {
                        "username": name,
                        "password_hash": password_hash,
                        "totp_secret": secret,
                        "totp_last_step": 0,
                        "is_admin": False,
                        "is_active": True,
                        "created_at": datetime.now(UTC),
                    }
                    for name, secret in secrets.items()
                ],
            )
    finally:
        engine.dispose()
    return secrets


def throttle_counts(server: LiveServer, username: str) -> list[int]:
    """The attempt counts the server's login throttle holds for `username` (its rows are keyed
    by an HMAC with the server's secret key, app/staff/throttle.py)."""
    secret = (server.instance / "secret_key").read_text().strip().encode()
    key = hmac.new(secret, b"throttle:" + username.lower().encode(), hashlib.sha256).hexdigest()
    engine = create_engine(database_url(server))
    try:
        with engine.connect() as connection:
            query = text("SELECT failures FROM login_throttle WHERE key = :key")
            return list(connection.scalars(query, {"key": key}))
    finally:
        engine.dispose()
