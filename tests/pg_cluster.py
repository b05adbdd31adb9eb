"""A throwaway PostgreSQL cluster for the test suite, and a fresh database per app.

    python -m tests.pg_cluster start DIR   # initdb + start on a free loopback port; prints the URL
    python -m tests.pg_cluster stop DIR    # stop it (DIR can then be deleted)

With TEST_POSTGRES_URL set to the printed admin URL, `tests/conftest.py::make_app` and
`tests/live_server.py::LiveServer` each create their own database and drop it afterwards.
tests/run_on_postgres.sh does all of this around a pytest run.

The cluster trusts local connections and runs without fsync: it holds nothing worth keeping.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

ENV_VAR = "TEST_POSTGRES_URL"
FAST_UNSAFE = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


def admin_url() -> str | None:
    """The admin URL from TEST_POSTGRES_URL, or None when the suite runs on SQLite."""
    return os.environ.get(ENV_VAR) or None


def create_database(admin: str, template: str | None = None) -> str:
    """A new database on the cluster, empty or a copy of the database of `template` (a URL).

    Returns its SQLAlchemy URL (psycopg 3 driver).
    """
    name = "test_" + secrets.token_hex(6)
    copy_of = f' TEMPLATE "{make_url(template).database}"' if template else ""
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"{copy_of}')
    url = make_url(admin).set(drivername="postgresql+psycopg", database=name)
    return url.render_as_string(hide_password=False)


def drop_database(admin: str, url: str) -> None:
    """Drop the database of `url`, ending any connection still open to it."""
    name = make_url(url).database
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _bin(tool: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}")) or [shutil.which(tool)]
    if not found[-1]:
        sys.exit(f"{tool} not found: install PostgreSQL (Debian: postgresql)")
    return str(found[-1])


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; root runs it as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start(directory: Path) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    directory.chmod(0o700)
    data = directory / "data"
    subprocess.run(
        _as_postgres([_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]),
        check=True,
        capture_output=True,
    )
    port = _free_port()
    options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 {FAST_UNSAFE}"
    subprocess.run(
        _as_postgres(
            [_bin("pg_ctl"), "-D", str(data), "-l", str(directory / "server.log")]
            + ["-o", options, "-w", "start"]
        ),
        check=True,
        capture_output=True,
    )
    return f"postgresql://postgres@127.0.0.1:{port}/postgres"


def stop(directory: Path) -> None:
    subprocess.run(
        _as_postgres([_bin("pg_ctl"), "-D", str(directory / "data"), "-m", "fast", "-w", "stop"]),
        check=True,
        capture_output=True,
    )


def main(argv: list[str]) -> None:
    if len(argv) != 2 or argv[0] not in {"start", "stop"}:  # noqa: PLR2004
        sys.exit(__doc__)
    command, directory = argv[0], Path(argv[1]).resolve()
    if command == "start":
        print(start(directory))
    else:
        stop(directory)


if __name__ == "__main__":
    main(sys.argv[1:])
