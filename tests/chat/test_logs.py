"""Chat words and tokens never reach a log, even at DEBUG and through an exception.

The exception raised below carries the marker in its message, as a careless library might:
the privacy layer logs exceptions by type and code location only (app/privacy.py).
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

import pytest

from app import clock as site_clock
from app.chat.sqlite_store import SqliteChatStore
from app.chat.web import chat_store
from tests.chat.web import open_chat_app, start_chat


def test_debug_logs_hold_no_marker_or_token(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    marker = secrets.token_hex(12)
    app = open_chat_app(tmp_path)
    app.testing = False  # let the app handle (and log) the exception as in production
    caplog.set_level(logging.DEBUG)
    with app.app_context():
        chat_store().set_available(1, True, site_clock.seconds())
    visitor = app.test_client()
    token = start_chat(visitor, nickname=f"nick {marker}", message=f"first {marker}")
    with app.app_context():
        chat_store().claim_next(1, site_clock.seconds())

    def broken_post(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"could not store {marker} for {token}")

    monkeypatch.setattr(SqliteChatStore, "post", broken_post)
    response = visitor.post("/nl/chat/send", data={"token": token, "message": f"x {marker}"})
    assert response.status_code == 500
    assert marker not in response.get_data(as_text=True)
    visitor.post("/nl/chat/end", data={"token": token})
    captured = capfd.readouterr()
    logged = caplog.text + captured.out + captured.err
    assert "RuntimeError" in logged  # the failure itself is logged...
    assert marker not in logged  # ...but not what the visitor wrote
    assert token not in logged
