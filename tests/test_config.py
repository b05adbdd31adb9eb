"""`load_config` on its own: a pure function of a mapping, with a clear error on a bad value.

(The chat store's settings: tests/chat/test_config.py; SITE_URL: tests/test_site_url.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import ConfigError, load_config

KEY = "k" * 32
MESSAGES_KEY = "dGVzdC1tZXNzYWdlcy1rZXktMzItYnl0ZXMtbG9uZyE="  # 32 bytes, urlsafe base64


def config(tmp_path: Path, **env: str) -> dict[str, object]:
    return load_config({"SECRET_KEY": KEY, "MESSAGES_KEY": MESSAGES_KEY, **env}, tmp_path)


def test_without_a_secret_key_the_app_refuses_to_start(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY is missing"):
        load_config({}, tmp_path)


def test_a_short_secret_key_is_refused_even_from_the_file(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("too short\n")
    with pytest.raises(ConfigError, match="shorter than 32"):
        load_config({}, tmp_path)
    with pytest.raises(ConfigError, match="shorter than 32"):
        load_config({"SECRET_KEY": "x" * 31}, tmp_path)


def test_the_key_file_is_read_when_the_environment_has_none(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text(f"  {KEY}\n")
    keys = {"MESSAGES_KEY": MESSAGES_KEY}
    assert load_config(keys, tmp_path)["SECRET_KEY"] == KEY
    assert load_config({"SECRET_KEY": "e" * 40, **keys}, tmp_path)["SECRET_KEY"] == "e" * 40


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("YES", True), (" on ", True), ("1", True), ("false", False), ("0", False)],
)
def test_booleans_take_the_usual_words(tmp_path: Path, raw: str, expected: bool) -> None:
    assert config(tmp_path, HSTS=raw)["HSTS"] is expected


def test_an_unknown_boolean_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="DISCREET_TITLES must be true or false, not 'maybe'"):
        config(tmp_path, DISCREET_TITLES="maybe")


def test_empty_settings_take_their_defaults(tmp_path: Path) -> None:
    loaded = config(tmp_path, HSTS="", DISCREET_TITLES="", QUICK_EXIT_URL="")
    assert loaded["HSTS"] is False
    assert loaded["DISCREET_TITLES"] is True
    assert str(loaded["QUICK_EXIT_URL"]).startswith("https://")


@pytest.mark.parametrize("url", ["http://weather.example", "weather.example", "https://"])
def test_quick_exit_must_be_an_absolute_https_address(tmp_path: Path, url: str) -> None:
    with pytest.raises(ConfigError, match="QUICK_EXIT_URL must be an absolute https URL"):
        config(tmp_path, QUICK_EXIT_URL=url)


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_a_postgresql_url_gets_the_psycopg_driver(tmp_path: Path, scheme: str) -> None:
    loaded = config(tmp_path, DATABASE_URL=f"{scheme}://site:pw@db.internal/helpline")
    assert loaded["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://site:pw@db.internal/helpline"


def test_the_default_database_is_a_file_in_the_instance_folder(tmp_path: Path) -> None:
    assert config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'site.sqlite3'}"


def test_another_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="DATABASE_URL must be a sqlite: or postgresql: URL"):
        config(tmp_path, DATABASE_URL="mysql://db/helpline")


def test_a_time_zone_must_exist(tmp_path: Path) -> None:
    assert config(tmp_path, HOURS_TIMEZONE="Europe/Brussels")["HOURS_TIMEZONE"] == "Europe/Brussels"
    with pytest.raises(ConfigError, match="HOURS_TIMEZONE is not a known time zone"):
        config(tmp_path, HOURS_TIMEZONE="Mars/Olympus")


def test_an_onion_address_is_its_host(tmp_path: Path) -> None:
    onion = "abcdefghijklmnop.onion"
    assert config(tmp_path, ONION_ADDRESS=f"http://{onion}/")["ONION_ADDRESS"] == onion
    with pytest.raises(ConfigError, match="ONION_ADDRESS must be a .onion address"):
        config(tmp_path, ONION_ADDRESS="help.example.nl")


def test_the_environment_is_not_read_behind_the_callers_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HSTS", "true")
    assert config(tmp_path)["HSTS"] is False


def test_waiting_requests_end_before_gunicorns_timeout(tmp_path: Path) -> None:
    loaded = config(tmp_path, CHAT_LONG_POLL_SECONDS="20", CHAT_EVENTS_SECONDS="0.5")
    assert (loaded["CHAT_LONG_POLL_SECONDS"], loaded["CHAT_EVENTS_SECONDS"]) == (20.0, 0.5)
    assert config(tmp_path)["CHAT_QUEUE_WAIT_SECONDS"] == 5.0  # noqa: PLR2004
    for raw in ("29", "0", "-1", "soon"):
        with pytest.raises(ConfigError, match="CHAT_LONG_POLL_SECONDS must be a number"):
            config(tmp_path, CHAT_LONG_POLL_SECONDS=raw)
