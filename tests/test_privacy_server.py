"""Promise 1 and 2, end to end: a real gunicorn with the shipped config keeps no trace of a visit.

Every page in the sitemap (both languages) is fetched with a unique marker in the query, the
user agent and X-Forwarded-For; so are a 404 with the marker in its path, a malformed request
line (gunicorn's own error path), the self-assessment with the marker in its answers, and the
chat's frames and forms with the marker in the view pass of the path (made up, and signed
with the server's key so that it reaches the chat store) and in the typed text. Then
no file the run wrote and none of the server's output may contain the marker or the forwarded
address, no unexpected file (a log) may exist, and no response may have set a cookie.
"""

from __future__ import annotations

import re
import socket
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from itsdangerous import URLSafeTimedSerializer

from tests.live_server import LiveServer

pytestmark = pytest.mark.server

FORWARDED_ADDRESS = "198.51.100.173"
SQLITE_FILE = "instance/site.sqlite3"  # not written when the suite runs on PostgreSQL
EXPECTED_FILES = {
    "instance/secret_key",
    "instance/messages_key",
    SQLITE_FILE,
    "chat/chat.sqlite3",  # the chat store (a tmpfs in production): checked for the marker too
    "gunicorn.stdout",
    "gunicorn.stderr",
}


def fetch(url: str, marker: str, data: bytes | None = None) -> tuple[int, list[str]]:
    request = urllib.request.Request(
        url,
        data=data,
        headers={
            "User-Agent": f"Mozilla/5.0 (privacy-test {marker})",
            "X-Forwarded-For": f"{FORWARDED_ADDRESS}, {marker}",
            "X-Real-IP": FORWARDED_ADDRESS,
            "Accept-Language": f"nl;q=0.9, {marker};q=0.8",
            "Referer": f"https://referrer.example/{marker}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get_all("Set-Cookie") or []
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_all("Set-Cookie") or []


def assessment_forms(server: LiveServer, pages: list[str]) -> list[tuple[str, dict[str, str]]]:
    """The reflection pages, each with every question answered by its first option."""
    forms = []
    for url in pages:
        with urllib.request.urlopen(url, timeout=10) as response:
            html = response.read().decode()
        if 'method="post"' not in html:
            continue
        answers = dict(re.findall(r'type="radio" name="([^"]+)" value="([^"]+)"', html))
        forms.append((url, answers))
    return forms


def view_pass_for(server: LiveServer, token_hash: str) -> str:
    """A view pass as the server makes one (app/chat/web.py), signed with its key."""
    key = (server.instance / "secret_key").read_text().strip()
    return str(URLSafeTimedSerializer(key, salt="chat-view").dumps(token_hash))


def post(url: str, marker: str, fields: dict[str, str]) -> tuple[int, list[str], str]:
    """A form POST; (status, cookies set, body)."""
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(fields).encode(),
        headers={"User-Agent": f"privacy-test {marker}", "X-Forwarded-For": FORWARDED_ADDRESS},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read().decode()
            return response.status, response.headers.get_all("Set-Cookie") or [], body
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_all("Set-Cookie") or [], error.read().decode()


def leave_message(server: LiveServer, marker: str) -> tuple[str, list[tuple[int, list[str]]]]:
    """Leave a message carrying the marker, reply to it, read it; (code, results)."""
    with urllib.request.urlopen(f"{server.url}/nl/bericht", timeout=10) as response:
        key = re.findall(r'name="form_key" value="([^"]+)"', response.read().decode())[0]
    fields = {"form_key": key, "text": f"message {marker}", "first_name": marker[:40]}
    status, cookies, body = post(f"{server.url}/nl/message/send", marker, fields)
    code = re.findall(r'id="pickup-code">([^<]+)<', body)[0]
    results = [(status, cookies)]
    for action, extra in (("reply", {"text": f"reply {marker}"}), ("read", {})):
        status, cookies, body = post(
            f"{server.url}/nl/message/{action}", marker, {"code": code, **extra}
        )
        assert marker in body, action
        results.append((status, cookies))
    return code, results


def ciphertexts(server: LiveServer) -> set[bytes]:
    """Every stored message text (read-only, beside the running server)."""
    path = server.root / SQLITE_FILE
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        rows = connection.execute("SELECT text FROM conversation_message").fetchall()
    connection.close()
    return {row[0] for row in rows}


def send_malformed_request_line(server: LiveServer, marker: str) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(f"G\x01T /{marker} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        sock.recv(4096)


def test_a_visit_leaves_no_trace(tmp_path: Path, marker: str) -> None:
    with LiveServer(tmp_path) as server:
        pages = server.sitemap()
        assert len(pages) >= 30, "the sitemap should list every page in both languages"
        results = [fetch(f"{url}?q={marker}", marker) for url in pages]
        results.append(fetch(f"{server.url}/nl/{marker}", marker))
        results.append(fetch(f"{server.url}/static/css/site.css?v={marker}", marker))
        results.append(fetch(f"{server.url}/?ref={marker}", marker))
        for url, answers in assessment_forms(server, pages):
            body = {**answers, "note": marker, next(iter(answers), "q"): marker}
            results.append(fetch(url, marker, urllib.parse.urlencode(body).encode()))
            results.append(fetch(url, marker, urllib.parse.urlencode(answers).encode()))
        # The chat: a view pass travels in frame and stream paths, the token and text in forms
        # (the chat is closed here, so each of these is refused; what matters is that nothing
        # is written down). One pass is made up around the marker; one is signed with the
        # server's key, so the request gets as far as the chat store with the marker.
        chat_token = (marker + "A" * 43)[:43]
        signed = view_pass_for(server, marker)
        for view in (marker, signed):
            results.append(fetch(f"{server.url}/nl/chat/{view}/frame?after={marker}", marker))
            results.append(fetch(f"{server.url}/nl/chat/{view}/events", marker))
        fields = {"token": chat_token, "message": marker, "nickname": marker, "start_key": marker}
        for action in ("start", "view", "send", "end", "copy"):
            body = urllib.parse.urlencode(fields).encode()
            results.append(fetch(f"{server.url}/nl/chat/{action}", marker, body))
        for action in ("send", "read", "reply", "delete"):
            fields = {"code": marker, "text": marker, "first_name": marker, "form_key": marker}
            body = urllib.parse.urlencode(fields).encode()
            results.append(fetch(f"{server.url}/nl/message/{action}", marker, body))
        kept_code, message_results = leave_message(server, marker)
        on_sqlite = server.database_url is None
        before = ciphertexts(server) if on_sqlite else set()
        deleted_code, more_results = leave_message(server, marker)
        deleted = (ciphertexts(server) - before) if on_sqlite else set()
        status, cookies, _ = post(f"{server.url}/nl/message/delete", marker, {"code": deleted_code})
        results += [*message_results, *more_results, (status, cookies)]
        send_malformed_request_line(server, marker)

    statuses = [status for status, _ in results]
    assert statuses.count(200) >= len(pages), statuses
    assert all(status < 500 for status in statuses), statuses
    assert [cookies for _, cookies in results if cookies] == []

    expected = EXPECTED_FILES if server.database_url is None else EXPECTED_FILES - {SQLITE_FILE}
    written = {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()}
    assert written == expected, f"unexpected files (a log?): {written - expected}"
    assert not on_sqlite or len(deleted) == 2  # the deleted conversation's message and reply
    codes = [kept_code, deleted_code, kept_code.replace("-", ""), deleted_code.replace("-", "")]
    for name in written:
        content = (tmp_path / name).read_bytes()
        assert marker.encode() not in content, f"the marker was written to {name}"
        assert signed.encode() not in content, f"a view pass was written to {name}"
        for code in codes:
            assert code.encode() not in content, f"a pick-up code was written to {name}"
        for ciphertext in deleted:
            assert ciphertext not in content, f"a deleted message is still in {name}"
        assert FORWARDED_ADDRESS.encode() not in content, f"an address was written to {name}"
        assert b"127.0.0.1" not in content or name.startswith("instance/"), name
