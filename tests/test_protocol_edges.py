"""Input and protocol edges against a real gunicorn with the shipped config (issue 16, 8 and 10).

- An oversized body gets 413 on every route before it is read, and nothing of it reaches the
  temporary folder (Werkzeug used to spool a 200 MiB upload to disk before a 404).
- gunicorn opens no control socket, writes no line for a malformed request, and its own error
  answers carry our privacy headers without echoing the request.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.privacy import DEFAULT_BODY_LIMIT
from tests.live_server import LiveServer

pytestmark = pytest.mark.server

ROUTES = [
    "/nl/chat/send",  # the route of the report: a POST the visitor's chat makes
    "/nl/chat/start",
    "/nl/",
    "/nl/does-not-exist",
    "/static/css/site.css",
    "/staff/login",
    "/staff/hours/import",  # the larger limit is still a limit
    "/api/hours",
]
BOUNDARY = "b0undary"
PRIVACY_HEADERS = {
    "content-security-policy",
    "referrer-policy",
    "x-content-type-options",
    "x-frame-options",
    "permissions-policy",
    "cross-origin-opener-policy",
    "cross-origin-resource-policy",
    "cache-control",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("edges")
    (root / "tmp").mkdir()
    (root / "home").mkdir()
    env = {"TMPDIR": str(root / "tmp"), "HOME": str(root / "home")}
    env["XDG_RUNTIME_DIR"] = ""  # gunicorn would prefer it over HOME for its control socket
    with LiveServer(root, **env) as live:
        yield live


def open_temp_files(server: LiveServer) -> list[str]:
    """Files of the gunicorn processes in the server's temporary folder, also deleted ones
    (Werkzeug's spool files have no name in the folder while they are open). gunicorn's own
    worker heartbeat files (wgunicorn-*, always empty: only their timestamps change) are left
    out."""
    assert server.process is not None
    tmp = str(server.root / "tmp")
    pids = [server.process.pid]
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
    pids += [int(pid) for pid in children.read_text().split()]
    found = []
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:  # closed meanwhile
                continue
            if target.startswith(tmp) and not Path(target).name.startswith("wgunicorn-"):
                found.append(target)
    return found


def read_answer(sock: socket.socket) -> bytes:
    """The status line and headers of the answer (the connection stays open)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def multipart_head(path: str, port: int, length: int) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Content-Length: {length}\r\nSec-Fetch-Site: same-origin\r\n\r\n"
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="big.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()


@pytest.mark.parametrize("path", ROUTES)
def test_an_oversized_body_gets_413_before_any_of_it_is_read(server: LiveServer, path: str) -> None:
    """A 200 MiB upload announced by Content-Length: the answer comes after 1 MiB, and the
    worker holds no temporary file (on the old code it read on, spooling to disk, and no answer
    came until the whole body was in)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(multipart_head(path, server.port, 200 * 1024 * 1024))
        sock.sendall(b"\0" * (1024 * 1024))
        assert open_temp_files(server) == []
        answer = read_answer(sock)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert list((server.root / "tmp").iterdir()) == []


def test_a_chunked_body_is_cut_off_at_the_limit(server: LiveServer) -> None:
    """Without a Content-Length the length is unknown up front: the body is read only up to
    the limit, in memory, then refused."""
    head = multipart_head("/nl/chat/send", server.port, 0).replace(
        b"Content-Length: 0", b"Transfer-Encoding: chunked"
    )
    headers, first_part = head.split(b"\r\n\r\n", 1)
    chunk = b"\0" * (64 * 1024)
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(headers + b"\r\n\r\n" + b"%x\r\n%s\r\n" % (len(first_part), first_part))
        for _ in range(2 * DEFAULT_BODY_LIMIT.max_bytes // len(chunk) + 1):
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        assert open_temp_files(server) == []
        answer = read_answer(sock)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert list((server.root / "tmp").iterdir()) == []


def test_the_413_page_is_clear_and_shows_the_helpline(server: LiveServer) -> None:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request(
        "POST",
        "/nl/chat/send",
        body=b"message=" + b"x" * (DEFAULT_BODY_LIMIT.max_bytes + 1),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    response = connection.getresponse()
    page = response.read().decode()
    connection.close()
    assert response.status == 413
    assert "Wat je stuurde is te groot" in page
    assert "0800" in page  # the helpline box, as on every error page
    assert {name.lower() for name, _ in response.getheaders()} >= PRIVACY_HEADERS


def test_gunicorn_opens_no_control_socket(server: LiveServer) -> None:
    home = server.root / "home"
    assert list(home.rglob("*")) == [], "gunicorn 25+ would create ~/.gunicorn/gunicorn.ctl"


MALFORMED = {
    400: lambda marker: f"GET /{marker} HTTP/1.1 extra\r\n\r\n".encode(),
    414: lambda marker: f"GET /{marker}{'x' * 5000} HTTP/1.1\r\nHost: a\r\n\r\n".encode(),
    431: lambda marker: (
        (
            "GET / HTTP/1.1\r\nHost: a\r\n" + "".join(f"X-{n}: {marker}\r\n" for n in range(120))
        ).encode()
        + b"\r\n"
    ),
    501: lambda marker: (
        f"POST /{marker} HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: {marker}\r\n\r\n".encode()
    ),
}


@pytest.mark.parametrize("status", sorted(MALFORMED))
def test_a_malformed_request_gets_our_headers_and_leaves_no_log_line(
    server: LiveServer, marker: str, status: int
) -> None:
    """gunicorn answers these itself, before the app: the answer has every privacy header of
    our pages, does not echo the request, and the error log gets no line about it."""
    before = server.output()
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(MALFORMED[status](marker))
        answer = b""
        while chunk := sock.recv(65536):  # gunicorn closes the connection after its answer
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0].startswith(f"HTTP/1.1 {status} "), lines[0]
    headers = {line.split(":", 1)[0].lower(): line.split(":", 1)[1].strip() for line in lines[1:]}
    assert set(headers) == {*PRIVACY_HEADERS, "content-type", "content-length", "connection"}
    assert headers["cache-control"] == "no-store"
    assert headers["content-security-policy"].startswith("default-src 'none'")
    assert marker.encode() not in answer
    assert body.startswith(b"<!DOCTYPE html>")
    # gunicorn writes its warning before it answers, so it would be there by now.
    assert server.output() == before
