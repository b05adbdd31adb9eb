"""`flask backup` / `flask restore`: a round trip that running workers notice, and refusals."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import update

from app.contacts import Contact
from app.db import db
from app.revision import bump_revision
from tests.conftest import make_app

BACKED_UP, LATER = "0800 111 11 11", "0800 222 22 22"


def sqlite_app(tmp_path: Path, **config: object) -> Flask:
    """Backup and restore are for SQLite: this runs on a file even in the PostgreSQL suite."""
    uri = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    return make_app(tmp_path, SQLALCHEMY_DATABASE_URI=uri, **config)


def set_helpline_phone(app: Flask, phone: str) -> None:
    with app.app_context():
        db.session.execute(update(Contact).where(Contact.key == "helpline").values(phone=phone))
        bump_revision(db.session, "contacts")
        db.session.commit()


def helpline_phone_in(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        (phone,) = connection.execute("SELECT phone FROM contact WHERE key = 'helpline'").fetchone()
    connection.close()
    return str(phone)


def invoke(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=list(args))
    return result.exit_code, result.output


def test_round_trip_reaches_a_running_worker(tmp_path: Path) -> None:
    app = sqlite_app(tmp_path)
    worker = make_app(
        tmp_path / "worker",
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        CONTENT_CHECK_SECONDS=0,
    )
    backup = tmp_path / "backup.sqlite3"
    set_helpline_phone(app, BACKED_UP)

    assert invoke(app, "backup", str(backup)) == (0, f"backup written to {backup}\n")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert helpline_phone_in(backup) == BACKED_UP

    set_helpline_phone(app, LATER)
    assert LATER in worker.test_client().get("/nl/").get_data(as_text=True)

    code, output = invoke(app, "restore", str(backup), "--yes")
    assert code == 0, output
    assert BACKED_UP in worker.test_client().get("/nl/").get_data(as_text=True)
    (undo,) = tmp_path.glob("live.sqlite3.before-restore-*")
    assert helpline_phone_in(undo) == LATER


def test_restore_reaches_a_worker_even_when_revision_numbers_match(tmp_path: Path) -> None:
    """A backup from another machine can carry the same revision numbers as the live database;
    the restore must still make every worker reload."""
    (tmp_path / "elsewhere").mkdir()
    elsewhere = sqlite_app(tmp_path / "elsewhere")
    set_helpline_phone(elsewhere, BACKED_UP)
    backup = tmp_path / "backup.sqlite3"
    assert invoke(elsewhere, "backup", str(backup))[0] == 0

    app = sqlite_app(tmp_path)
    set_helpline_phone(app, LATER)
    worker = make_app(
        tmp_path / "worker",
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        CONTENT_CHECK_SECONDS=0,
    )
    assert LATER in worker.test_client().get("/nl/").get_data(as_text=True)
    assert invoke(app, "restore", str(backup), "--yes")[0] == 0
    assert BACKED_UP in worker.test_client().get("/nl/").get_data(as_text=True)


def test_backup_never_overwrites(tmp_path: Path) -> None:
    app = sqlite_app(tmp_path)
    existing = tmp_path / "existing"
    existing.write_text("keep me")
    code, output = invoke(app, "backup", str(existing))
    assert code == 1
    assert "exists already" in output
    assert existing.read_text() == "keep me"


def _other_sqlite(path: Path) -> Path:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE something (x)")
    connection.close()
    return path


@pytest.mark.parametrize(
    ("make_file", "message"),
    [
        (lambda p: p.write_bytes(b"not a database at all") and p, "not a SQLite database"),
        (_other_sqlite, "not this site's database"),
    ],
)
def test_restore_refuses_what_is_not_our_database(
    tmp_path: Path, make_file: object, message: str
) -> None:
    app = sqlite_app(tmp_path)
    candidate = tmp_path / "candidate"
    make_file(candidate)  # type: ignore[operator]
    code, output = invoke(app, "restore", str(candidate), "--yes")
    assert code == 1
    assert message in output
    assert not list(tmp_path.glob("*.before-restore-*")), "nothing may change on a refusal"


def test_restore_refuses_a_damaged_backup(tmp_path: Path) -> None:
    app = sqlite_app(tmp_path)
    backup = tmp_path / "backup.sqlite3"
    assert invoke(app, "backup", str(backup))[0] == 0
    data = bytearray(backup.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # the second page: a table's b-tree
    backup.write_bytes(bytes(data))
    code, output = invoke(app, "restore", str(backup), "--yes")
    assert code == 1
    assert "damaged" in output or "cannot be read" in output


def test_restore_refuses_the_live_database_itself(tmp_path: Path) -> None:
    app = sqlite_app(tmp_path)
    code, output = invoke(app, "restore", str(tmp_path / "live.sqlite3"), "--yes")
    assert code == 1
    assert "live database itself" in output


def test_restore_asks_first(tmp_path: Path) -> None:
    app = sqlite_app(tmp_path)
    backup = tmp_path / "backup.sqlite3"
    assert invoke(app, "backup", str(backup))[0] == 0
    result = app.test_cli_runner().invoke(args=["restore", str(backup)], input="n\n")
    assert result.exit_code == 1
    assert "Aborted" in result.output


def test_postgresql_gets_pg_dump_guidance_without_the_password(tmp_path: Path) -> None:
    from app import create_app
    from tests.conftest import SECRET

    app = create_app(
        {
            "SECRET_KEY": SECRET,
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://site:s3cret@db.internal/helpline",
        }
    )
    for command in ("backup", "restore"):
        target = tmp_path / "dump"
        target.write_bytes(b"")
        code, output = invoke(app, command, str(target))
        assert code == 1
        assert "pg_dump --format=custom" in output
        assert "pg_restore" in output
        assert "postgresql://site:***@db.internal/helpline" in output
        assert "s3cret" not in output
