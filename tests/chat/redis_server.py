"""A throwaway redis-server for the tests: loopback only, free port, nothing written to disk.

    with running_redis(tmp_path) as url:   # "redis://127.0.0.1:PORT/0"
        store = RedisChatStore(url)

Without redis-server (Debian: redis-server) the test is skipped with the reason, or fails when
CI=true, like the browser tests.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

SERVER = "redis-server"
DEBIAN_PATH = Path("/usr/bin/redis-server")  # where Debian puts it, should PATH be minimal


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_binary() -> str:
    found = shutil.which(SERVER) or (str(DEBIAN_PATH) if DEBIAN_PATH.exists() else None)
    if found:
        return found
    message = f"{SERVER} not found: the Redis chat tests need it (Debian: redis-server)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith((b"+PONG", b"-NOAUTH"))  # up (with a password)
    except OSError:
        return False


@contextmanager
def running_redis(directory: Path, *extra: str) -> Iterator[str]:
    """Start redis-server with persistence off in `directory`; yield its URL; stop it.

    `extra` comes first on the command line: a config file path, or further options.
    """
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = directory / "redis-server.out"
    command = [server_binary(), *extra, "--port", str(port), "--bind", "127.0.0.1"]
    command += ["--save", "", "--appendonly", "no", "--dir", str(directory)]
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while not _answers_ping(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start:\n" + log.read_text())
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
