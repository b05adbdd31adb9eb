"""Shared by the bench scripts: servers on loopback, wrk runs, and reading their results.

Every server here listens on 127.0.0.1 only, and every load run is bounded in time or count.
The site is started the way tests/live_server.py starts it: the shipped deploy/gunicorn.conf.py,
a fresh instance folder and a migrated, seeded database in a temporary directory.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live_server import BIN, LiveServer, free_port  # noqa: E402

CONNECTIONS = 50
WRK_THREADS = 2
MIB = 1024 * 1024


def fetch(url: str, headers: dict[str, str] | None = None) -> bytes:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout} s")


@contextmanager
def temporary_root(prefix: str) -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def site(root: Path, setup: list[list[str]] | None = None, **env: str) -> Iterator[LiveServer]:
    """The site under gunicorn with the shipped config; `setup`: flask commands run first."""
    with LiveServer(root, setup, **env) as server:
        assert server.process is not None
        pin_server(server.process.pid)
        yield server


@contextmanager
def hello_world() -> Iterator[str]:
    """bench/hello.py under the same gunicorn config; yields its URL."""
    port = free_port()
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"}
    command = [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "bench.hello:app"]
    with _serving(command, port, cwd=ROOT, env=env) as url:
        yield url


NGINX_CONF = """\
daemon off;
worker_processes {workers};
pid {root}/nginx.pid;
error_log /dev/null crit;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {root}/tmp;
    proxy_temp_path {root}/tmp;
    fastcgi_temp_path {root}/tmp;
    uwsgi_temp_path {root}/tmp;
    scgi_temp_path {root}/tmp;
    default_type text/html;
    server {{
        listen 127.0.0.1:{port};
        root {root}/www;
        location = / {{ try_files /home.html =404; }}
    }}
}}
"""


@contextmanager
def nginx_static(page: bytes, workers: int = 2) -> Iterator[str]:
    """nginx (not a daemon, its own config, no access log) serving `page` as a static file."""
    with temporary_root("bench-nginx-") as root:
        root.chmod(0o755)  # nginx's workers run as nobody
        (root / "tmp").mkdir()
        (root / "www").mkdir()
        (root / "www" / "home.html").write_bytes(page)
        with _nginx(root, workers) as url:
            yield url


@contextmanager
def _nginx(root: Path, workers: int) -> Iterator[str]:
    port = free_port()
    conf = root / "nginx.conf"
    conf.write_text(NGINX_CONF.format(root=root, port=port, workers=workers))
    with _serving(["/usr/sbin/nginx", "-c", str(conf), "-p", str(root)], port) as url:
        yield url


@contextmanager
def _serving(command: list[str], port: int, **popen: Any) -> Iterator[str]:
    """Run a server `command` listening on `port`; yield its URL once it answers; stop it."""
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **popen
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, process)
        pin_server(process.pid)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def nginx_front(
    root: Path, upstream_port: int, *, cache: bool = True, streams_port: int | None = None
) -> Iterator[tuple[str, dict[str, str]]]:
    """The shipped deploy/nginx/ config in front of the site (tests/nginx_server.py).

    Yields the onion server's URL and the Host header that reaches it. With `cache=False`
    the front cache is switched off, to show what it adds.
    """
    from tests.nginx_server import ONION_HOST, NginxServer

    nginx = NginxServer(root, upstream_port, streams_port=streams_port)
    nginx.write_config()
    if not cache:
        shared = nginx.conf / "helpline-site.conf"
        shared.write_text(shared.read_text().replace("proxy_cache pages;", "proxy_cache off;"))
    with nginx:
        assert nginx.process is not None
        pin_server(nginx.process.pid)
        yield nginx.onion_url(""), {"Host": ONION_HOST}


@dataclass
class WrkResult:
    requests: int
    per_second: float
    p50_ms: float
    p99_ms: float
    errors: int  # socket errors (connect, read, write, timeout) plus non-2xx/3xx answers
    output: str


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS_MS[unit]


# With --pin, the load generator runs on one core and every server on the other, so they do not
# take turns on the same core (the machine is shared and noisy; docs/performance.md).
LOAD_CORES: set[int] | None = None
SERVER_CORES: set[int] | None = None


def pin_cores() -> None:
    """Pin wrk to the first core and servers (see pin_server) to the others."""
    global LOAD_CORES, SERVER_CORES  # noqa: PLW0603 (one switch for the whole run)
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:  # noqa: PLR2004
        raise SystemExit("--pin needs at least 2 cores")
    LOAD_CORES, SERVER_CORES = {cores[0]}, set(cores[1:])


def pin_server(master_pid: int) -> None:
    """Move a server's master and its workers to the server cores (when pinning)."""
    if SERVER_CORES is None:
        return
    for pid in [master_pid, *worker_pids(master_pid)]:
        os.sched_setaffinity(pid, SERVER_CORES)


def wrk(
    url: str,
    seconds: float,
    script: Path | None = None,
    connections: int = CONNECTIONS,
    headers: dict[str, str] | None = None,
) -> WrkResult:
    """Run wrk against `url` for `seconds` (a script may stop it earlier) and parse its report."""
    pinned = ["taskset", "-c", ",".join(map(str, sorted(LOAD_CORES)))] if LOAD_CORES else []
    command = [
        *pinned,
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
    ]
    command += ["--timeout", "10s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.MULTILINE))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return WrkResult(
        requests=int(re.search(r"(\d+) requests in", output).group(1)),  # type: ignore[union-attr]
        per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        p50_ms=_ms(latency["50"]),
        p99_ms=_ms(latency["99"]),
        errors=errors,
        output=output,
    )


def worker_pids(master_pid: int) -> list[int]:
    """The gunicorn master's child processes (its workers)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def resident_mib(pid: int, field: str = "VmRSS") -> float:
    """Resident memory of a process in MiB: now (VmRSS) or its peak so far (VmHWM)."""
    status = Path(f"/proc/{pid}/status").read_text()
    kib = int(re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE).group(1))  # type: ignore[union-attr]
    return kib * 1024 / MIB


def machine() -> str:
    """One line about the machine the figures were measured on."""
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    memory = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
    debian = Path("/etc/debian_version").read_text().strip()
    return (
        f"{os.cpu_count()} cores ({cpu.group(1).strip() if cpu else 'unknown CPU'}), "
        f"{int(memory.group(1)) // (1024 * 1024) if memory else '?'} GiB, Debian {debian}, "
        f"Python {sys.version.split()[0]}, load average before the run "
        f"{os.getloadavg()[0]:.2f}"
    )
