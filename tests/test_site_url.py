"""SITE_URL: without it the card and sitemap would point at 127.0.0.1, so the app refuses to
start unless gunicorn is bound to this machine only (`make run`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import ConfigError, load_config

KEY = {"SECRET_KEY": "k" * 40, "MESSAGES_KEY": "dGVzdC1tZXNzYWdlcy1rZXktMzItYnl0ZXMtbG9uZyE="}


@pytest.mark.parametrize(
    ("bind", "expected"),
    [
        (None, "http://127.0.0.1:8000"),  # make run: gunicorn.conf.py's default bind
        ("127.0.0.1:9000", "http://127.0.0.1:9000"),
        ("127.0.0.2:8000", "http://127.0.0.2:8000"),
        ("localhost:8000", "http://localhost:8000"),
        ("[::1]:8000", "http://[::1]:8000"),
        ("127.0.0.1", "http://127.0.0.1:8000"),
    ],
)
def test_bound_to_loopback_the_local_address_is_the_default(
    tmp_path: Path, bind: str | None, expected: str
) -> None:
    env = {**KEY, **({"GUNICORN_BIND": bind} if bind else {})}
    assert load_config(env, tmp_path)["SITE_URL"] == expected


@pytest.mark.parametrize(
    "bind", ["0.0.0.0:8000", "[::]:8000", "192.0.2.10:80", "unix:/run/helpline.sock", "web:8000"]
)
def test_served_beyond_this_machine_without_site_url_refuses_to_start(
    tmp_path: Path, bind: str
) -> None:
    with pytest.raises(ConfigError, match="SITE_URL is not set") as caught:
        load_config({**KEY, "GUNICORN_BIND": bind}, tmp_path)
    assert bind in str(caught.value)
    assert "public address" in str(caught.value)


def test_site_url_wins_wherever_the_site_is_bound(tmp_path: Path) -> None:
    env = {**KEY, "GUNICORN_BIND": "0.0.0.0:8000", "SITE_URL": "https://help.example.nl/"}
    assert load_config(env, tmp_path)["SITE_URL"] == "https://help.example.nl"


def test_a_bad_site_url_is_still_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SITE_URL must be an absolute"):
        load_config({**KEY, "SITE_URL": "help.example.nl"}, tmp_path)
