"""`flask --app app backup FILE` and `flask --app app restore FILE` for the SQLite database.

Both use SQLite's online backup API, which copies a consistent snapshot while the site keeps
running. A restore copies the checked file *into* the live database in one transaction, rather
than swapping files: running workers keep their open connections, and a file swap would leave
them reading (and writing) the old, unlinked file. PostgreSQL has its own tools (pg_dump,
pg_restore); for it these commands print how to use them and exit non-zero.

A backup holds staff password hashes and TOTP secrets, never visitor data; it is written with
mode 600. Before a restore the current database is saved next to it, so a restore can be undone.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import click
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect, select, update
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from app import clock
from app.db import db
from app.revision import Revision

SQLITE_HEADER = b"SQLite format 3\x00"
REQUIRED_TABLES = frozenset({"alembic_version", "contact", "hours_document", "revision"})


def _postgres_guidance(url: URL, action: str) -> click.ClickException:
    # libpq tools take a plain postgresql:// URL; the password stays out of the terminal.
    target = url.set(drivername="postgresql").render_as_string(hide_password=True)
    return click.ClickException(
        f"The database is PostgreSQL; {action} it with PostgreSQL's own tools "
        "(password from ~/.pgpass or PGPASSWORD):\n"
        f"  backup:  pg_dump --format=custom --file=FILE '{target}'\n"
        f"  restore: pg_restore --clean --if-exists --no-owner --single-transaction "
        f"--dbname='{target}' FILE"
    )


def _require_sqlite(action: str) -> None:
    if db.engine.dialect.name != "sqlite":
        raise _postgres_guidance(db.engine.url, action)


def _live_path() -> Path:
    """The live database file, from the URL (connecting would create a missing file)."""
    name = db.engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        raise click.ClickException("backup and restore need a plain sqlite:///PATH database URL")
    return Path(name)


def write_backup(target: Path) -> None:
    """A consistent copy of the live database at `target` (which must not exist yet)."""
    partial = target.with_name(target.name + ".partial")
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        with db.engine.connect() as connection, closing(sqlite3.connect(partial)) as copy:
            connection.connection.driver_connection.backup(copy)  # type: ignore[union-attr]
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _open_read_only(path: Path) -> closing[sqlite3.Connection]:
    return closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True))


def check_backup(path: Path) -> str:
    """The migration revision of the backup at `path`; ClickException if it is not ours."""
    with path.open("rb") as file:
        if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise click.ClickException(f"{path} is not a SQLite database")
    try:
        with _open_read_only(path) as source:
            (check,) = source.execute("PRAGMA quick_check").fetchone()
            if check != "ok":
                raise click.ClickException(f"{path} is damaged: {check}")
            tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master")}
            missing = REQUIRED_TABLES - tables
            if missing:
                raise click.ClickException(f"{path} is not this site's database: no {missing}")
            version = source.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise click.ClickException(f"{path} cannot be read as a database: {error}") from None
    known = ScriptDirectory(current_app.extensions["migrate"].directory)
    if version is None or version[0] not in {script.revision for script in known.walk_revisions()}:
        raise click.ClickException(f"{path} has an unknown schema version: {version}")
    return str(version[0])


def _revisions() -> dict[str, int]:
    if not inspect(db.engine).has_table(Revision.__tablename__):
        return {}
    rows = db.session.execute(select(Revision.key, Revision.number))
    numbers = {key: number for key, number in rows}
    db.session.rollback()
    return numbers


def restore_into_live(source_path: Path) -> None:
    """Copy `source_path` into the live database in one transaction; workers then reload.

    Every content revision ends higher than both the old and the restored number, so each
    worker's content cache (app/content_cache.py) sees a change and reloads.
    """
    before = _revisions()
    with _open_read_only(source_path) as source, db.engine.connect() as connection:
        source.backup(connection.connection.driver_connection)  # type: ignore[arg-type]
    after = _revisions()
    for key in before.keys() | after.keys():
        number = max(before.get(key, 0), after.get(key, 0)) + 1
        if key in after:
            db.session.execute(update(Revision).where(Revision.key == key).values(number=number))
        else:
            db.session.add(Revision(key=key, number=number))
    db.session.commit()


@click.command("backup")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Write a consistent copy of the SQLite database to FILE (a new file, mode 600)."""
    _require_sqlite("back up")
    if not _live_path().exists():
        raise click.ClickException(f"there is no database at {_live_path()}")
    if file.exists():
        raise click.ClickException(f"{file} exists already; choose a new name")
    try:
        write_backup(file)
    except OSError as error:
        raise click.ClickException(f"cannot write {file}: {error.strerror}") from None
    click.echo(f"backup written to {file}")


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(file: Path, yes: bool) -> None:
    """Replace the SQLite database's contents with the backup FILE, after checking it."""
    _require_sqlite("restore")
    live = _live_path()
    if live.exists() and file.resolve() == live.resolve():
        raise click.ClickException(f"{file} is the live database itself")
    version = check_backup(file)
    if not yes:
        click.confirm(f"Replace everything in {live} with {file}?", abort=True)
    if live.exists():
        stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
        undo = live.with_name(f"{live.name}.before-restore-{stamp}")
        try:
            write_backup(undo)
        except (sqlite3.DatabaseError, SQLAlchemyError):
            raise click.ClickException(
                f"the live database {live} cannot be read; move it aside "
                f"(mv {live} {live}.broken) and run the restore again"
            ) from None
        click.echo(f"the previous database is saved in {undo}")
    restore_into_live(file)
    click.echo(f"restored {file} (schema version {version})")
    click.echo("run `flask --app app db upgrade` if the backup is older than this version")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
