"""A broken database never takes the public site down, and the staff area says what is wrong.

For each fault (missing, locked, corrupt): every public page still renders with the helpline
number, and where a channel's status would be it says honestly that the hours are unknown;
the status API answers 503; a staff login (which must write) gets a 503 page that still shows
the helpline and says the database is unavailable. A read-only database still serves the
real opening hours, and refuses the staff login the same clear way.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from app.db import db
from tests.conftest import sitemap_paths
from tests.faults.conftest import (
    CHAT_ENTRY,
    EMERGENCY_TEL,
    HELPLINE_TEL,
    SHORT_BUSY_TIMEOUT,
    UNAVAILABLE_EN,
    UNAVAILABLE_NL,
    app_on,
    hold_exclusive_lock,
)

FAULTS = ["missing_db", "locked_db", "corrupt_db"]
STATUS_WORDS = re.compile(r"Nu open|Open now|Gesloten ·|Closed ·")


def staff_login(client: FlaskClient) -> tuple[int, str]:
    """POST the staff login form (checking a password writes the throttle)."""
    form = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    assert token, "the login form has no CSRF token"
    response = client.post(
        "/staff/login",
        data={"csrf_token": token.group(1), "username": "someone", "password": "x" * 20},
    )
    return response.status_code, response.get_data(as_text=True)


def assert_no_leak(body: str) -> None:
    for word in ("Traceback", "sqlite3", "OperationalError", "SELECT "):
        assert word not in body


@pytest.mark.parametrize("fault", FAULTS)
def test_public_pages_still_show_the_way_to_help(
    fault: str, request: pytest.FixtureRequest
) -> None:
    client = request.getfixturevalue(fault).test_client()
    paths = sitemap_paths(client)
    assert len(paths) >= 30
    for path in paths:
        response = client.get(path)
        body = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert HELPLINE_TEL in body, path
        assert_no_leak(body)
        assert not STATUS_WORDS.search(body), f"{path} shows a status it cannot know"
        if "data-channel=" in body:
            assert UNAVAILABLE_NL in body or UNAVAILABLE_EN in body, path
    for path in ("/nl/", "/en/", "/nl/contact", "/en/contact"):
        body = client.get(path).get_data(as_text=True)
        assert CHAT_ENTRY.search(body), path
        assert EMERGENCY_TEL in body or path.endswith("contact"), path


@pytest.mark.parametrize("fault", FAULTS)
def test_status_api_says_unavailable(fault: str, request: pytest.FixtureRequest) -> None:
    response = request.getfixturevalue(fault).test_client().get("/api/status")
    assert response.status_code == 503
    assert response.get_json()["error"] == "unavailable"


@pytest.mark.parametrize("fault", [*FAULTS, "read_only_db"])
def test_staff_login_says_the_database_is_unavailable(
    fault: str, request: pytest.FixtureRequest
) -> None:
    status, body = staff_login(request.getfixturevalue(fault).test_client())
    assert status == 503
    assert "database" in body.lower()
    assert HELPLINE_TEL in body
    assert_no_leak(body)


def test_read_only_database_still_shows_the_hours(read_only_db: Flask) -> None:
    client = read_only_db.test_client()
    assert client.get("/api/status").status_code == 200
    body = client.get("/nl/").get_data(as_text=True)
    assert STATUS_WORDS.search(body)
    assert UNAVAILABLE_NL not in body


def test_a_lock_costs_one_busy_wait_not_one_per_lookup(seeded: Path, exclusive_lock: None) -> None:
    """With SQLite's default 5 s busy timeout, every lookup of content waits 5 s; the contact
    page took 20 s before the content cache stopped asking after the first failure. Now the
    page asks the locked database once: one wait, well inside gunicorn's 30 s timeout."""
    app = app_on(f"sqlite:///{seeded}")
    asked: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: asked.append(args[2]))
    response = app.test_client().get("/nl/contact")
    assert response.status_code == 200
    assert UNAVAILABLE_NL in response.get_data(as_text=True)
    assert len(asked) == 1, f"the locked database was asked {len(asked)} times: {asked}"


def test_the_site_recovers_when_the_lock_is_released(seeded: Path) -> None:
    app = app_on(
        f"sqlite:///{seeded}",
        CONTENT_RETRY_SECONDS=0,
        SQLALCHEMY_ENGINE_OPTIONS=SHORT_BUSY_TIMEOUT,
    )
    client = app.test_client()
    holder = hold_exclusive_lock(seeded)
    assert client.get("/api/status").status_code == 503
    holder.execute("ROLLBACK")
    holder.close()
    assert client.get("/api/status").status_code == 200
