"""A real gunicorn process running the shipped config, for privacy and browser tests."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from app.messages.crypto import new_key
from tests import pg_cluster

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LiveServer:
    """gunicorn with deploy/gunicorn.conf.py; its database, instance folder and output in `root`.

    With TEST_POSTGRES_URL set, the database is a fresh PostgreSQL one instead of a file in
    `root`, dropped when the server stops.
    """

    def __init__(self, root: Path, setup: list[list[str]] | None = None, **env: str) -> None:
        """`setup`: extra `flask` commands run after migrating and seeding, before gunicorn."""
        self.root = root
        self.setup = setup or []
        self.instance = root / "instance"
        self.stdout_path = root / "gunicorn.stdout"
        self.stderr_path = root / "gunicorn.stderr"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            # The messages key comes from the instance folder, as with `make run`.
            **{name: value for name, value in os.environ.items() if name != "MESSAGES_KEY"},
            "INSTANCE_PATH": str(self.instance),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": "2",
            "SITE_URL": self.url,
            "STAFF_COOKIE_SECURE": "false",
            "CHAT_STORE_URL": f"sqlite:///{root / 'chat' / 'chat.sqlite3'}",  # not /dev/shm
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.database_url: str | None = None
        self.primary: LiveServer | None = None  # set on a companion (see companion())

    def companion(self, name: str, **env: str) -> LiveServer:
        """A second gunicorn of this same site: its instance folder (secret key), database and
        chat store, with its own port and output files `name`.stdout/.stderr; for example the
        gevent server of the chat's streams. Start it after this one."""
        other = LiveServer(self.root)
        other.primary = self
        other.database_url = self.database_url
        other.stdout_path = self.root / f"{name}.stdout"
        other.stderr_path = self.root / f"{name}.stderr"
        other.env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{other.port}", **env}
        return other

    def start(self) -> LiveServer:
        if self.primary is None:
            self._prepare_site()
        self._start_gunicorn()
        return self

    def _prepare_site(self) -> None:
        admin = pg_cluster.admin_url()
        if admin:
            self.database_url = pg_cluster.create_database(admin)
            self.env["DATABASE_URL"] = self.database_url
        self.instance.mkdir(parents=True, exist_ok=True)
        (self.instance / "secret_key").write_text(secrets.token_urlsafe(48))
        (self.instance / "messages_key").write_text(new_key())
        for command in (["db", "upgrade"], ["seed"], *self.setup):
            subprocess.run(
                [str(BIN / "flask"), "--app", "app", *command],
                cwd=ROOT,
                env=self.env,
                check=True,
                capture_output=True,
            )

    def _start_gunicorn(self) -> None:
        with self.stdout_path.open("wb") as stdout, self.stderr_path.open("wb") as stderr:
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "app:create_app()"],
                cwd=ROOT,
                env=self.env,
                stdout=stdout,
                stderr=stderr,
            )
        self._wait_until_ready()

    def _wait_until_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited:\n" + self.output())
            try:
                with urllib.request.urlopen(self.url + "/robots.txt", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer in time:\n" + self.output())

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        admin = pg_cluster.admin_url()
        if admin and self.database_url and self.primary is None:
            pg_cluster.drop_database(admin, self.database_url)

    def sitemap(self) -> list[str]:
        """Every page the sitemap lists, as full URLs."""
        with urllib.request.urlopen(self.url + "/sitemap.xml", timeout=10) as response:
            return re.findall(r"<loc>([^<]+)</loc>", response.read().decode())

    def output(self) -> str:
        return "".join(
            path.read_text(errors="replace")
            for path in (self.stdout_path, self.stderr_path)
            if path.exists()
        )

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
