"""Broken databases made from real files: missing, locked, read-only and corrupt.

Each fault starts from a migrated, seeded SQLite file (these faults are SQLite's; they run
even when the rest of the suite runs on PostgreSQL).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from app import create_app
from tests.conftest import SECRET, make_app

HELPLINE_TEL = 'href="tel:08002666436"'
CHAT_ENTRY = re.compile(r'href="/(nl|en)/chat"')  # the way into the chat
EMERGENCY_TEL = 'href="tel:112"'
UNAVAILABLE_NL = "Openingstijden niet bekend: probeer het gerust."
UNAVAILABLE_EN = "Opening hours unavailable: call to check."
# A short busy timeout keeps the locked-database tests quick; one test keeps SQLite's default.
SHORT_BUSY_TIMEOUT = {"connect_args": {"timeout": 0.2}}


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    """A migrated, seeded SQLite database file."""
    path = tmp_path / "seeded.sqlite3"
    make_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    return path


def app_on(uri: str, **config: object) -> Flask:
    """An app on an existing database; nothing is migrated or seeded.

    Its chat store sits next to a SQLite database (in the test's folder), not in /dev/shm.
    """
    if uri.startswith("sqlite:///"):
        folder = Path(uri.removeprefix("sqlite:///")).parent
        config = {"CHAT_STORE_URL": f"sqlite:///{folder / 'chat' / 'chat.sqlite3'}", **config}
    return create_app({"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": uri, **config})


@pytest.fixture
def missing_db(tmp_path: Path) -> Flask:
    """The database path is in a directory that does not exist."""
    return app_on(f"sqlite:///{tmp_path / 'no-such-directory' / 'site.sqlite3'}")


@pytest.fixture
def corrupt_db(seeded: Path) -> Flask:
    """The file's header ("SQLite format 3") is overwritten: SQLite rejects the whole file."""
    with seeded.open("r+b") as file:
        file.write(b"\x00not a database\x00" * 4)
    return app_on(f"sqlite:///{seeded}")


def hold_exclusive_lock(path: Path) -> sqlite3.Connection:
    """A second connection with an exclusive lock on `path`: nobody else can read or write."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    return holder


@pytest.fixture
def exclusive_lock(seeded: Path) -> Iterator[None]:
    """The seeded database stays locked for the whole test."""
    holder = hold_exclusive_lock(seeded)
    yield
    holder.execute("ROLLBACK")
    holder.close()


@pytest.fixture
def locked_db(seeded: Path, exclusive_lock: None) -> Flask:
    return app_on(f"sqlite:///{seeded}", SQLALCHEMY_ENGINE_OPTIONS=SHORT_BUSY_TIMEOUT)


@pytest.fixture
def read_only_db(seeded: Path, tmp_path: Path) -> Flask:
    """SQLite opens the file with mode=ro: reads work, every write fails.

    The tests run as root, and root ignores file permissions, so `chmod 444` would not stop a
    single write; a read-only mount needs privileges the test machine does not have. SQLite's
    own read-only mode refuses writes for root too, with the same error a read-only file or
    mount gives ("attempt to write a readonly database").
    """
    copy = tmp_path / "read-only.sqlite3"
    shutil.copy(seeded, copy)
    return app_on(f"sqlite:///file:{copy}?mode=ro&uri=true")
