"""Chat settings: where the store lives by default, and the limits staff may tune."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import ConfigError, chat_limits, chat_store_url


def test_the_default_store_is_on_a_tmpfs(tmp_path: Path) -> None:
    url = chat_store_url({}, tmp_path / "instance")
    assert url.startswith("sqlite:////dev/shm/helpline-chat-")
    systemd = chat_store_url({"RUNTIME_DIRECTORY": "/run/helpline"}, tmp_path)
    assert systemd.startswith("sqlite:////run/helpline/helpline-chat-")
    assert chat_store_url({}, tmp_path / "a") != chat_store_url({}, tmp_path / "b")


def test_a_given_store_url_is_used_or_refused(tmp_path: Path) -> None:
    assert chat_store_url({"CHAT_STORE_URL": "redis://10.0.0.5:6379/0"}, tmp_path).startswith(
        "redis://"
    )
    with pytest.raises(ConfigError, match="CHAT_STORE_URL"):
        chat_store_url({"CHAT_STORE_URL": "postgresql://db/chat"}, tmp_path)


def test_limits_from_the_environment() -> None:
    assert chat_limits({"CHAT_MAX_PARALLEL": "4", "CHAT_IDLE_SECONDS": "600"}) == {
        "max_parallel": 4,
        "idle_seconds": 600,
    }
    for bad in ("0", "-1", "three", "1.5"):
        with pytest.raises(ConfigError, match="CHAT_MAX_WAITING"):
            chat_limits({"CHAT_MAX_WAITING": bad})
