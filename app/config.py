"""Configuration: a pure function of an environment mapping.

`load_config(env)` reads only the mapping it is given, so it is trivial to test and nothing
depends on the process environment by accident. A bad value raises `ConfigError` with the
variable's name; the app refuses to start rather than run with a half-understood setting.
Secrets come only from the environment or the instance folder, never from a default.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MIN_SECRET_KEY_LENGTH = 32
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


class ConfigError(ValueError):
    """A setting is missing or has a value we do not understand."""


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def _url(env: Mapping[str, str], name: str, default: str, schemes: tuple[str, ...]) -> str:
    raw = env.get(name) or default
    parts = urlsplit(raw)
    if parts.scheme not in schemes or not parts.netloc:
        raise ConfigError(f"{name} must be an absolute {' or '.join(schemes)} URL, not {raw!r}")
    return raw


DEFAULT_BIND = "127.0.0.1:8000"  # deploy/gunicorn.conf.py's bind without GUNICORN_BIND


def _loopback_address(bind: str) -> str | None:
    """`http://host:port` for a gunicorn bind on this machine only, else None (0.0.0.0, a
    public address, a unix socket: something in front serves the site to others)."""
    host, port = bind, "8000"  # gunicorn's port when the bind names none
    if ":" in bind and not bind.endswith("]"):
        host, port = bind.rsplit(":", 1)
    if not port.isdigit():
        return None  # unix:/path, fd://3
    name = host.removeprefix("[").removesuffix("]")
    if name != "localhost":
        try:
            if not ipaddress.ip_address(name).is_loopback:
                return None
        except ValueError:
            return None
    return f"http://{host}:{port}"


def site_url(env: Mapping[str, str]) -> str:
    """The public address the sitemap and the QR card show (SITE_URL).

    Unset, it is the local address of `make run` (gunicorn bound to loopback, GUNICORN_BIND
    unset or on 127.0.0.0/8, ::1 or localhost). Bound anywhere else the site is served to
    others, and a card or sitemap pointing at 127.0.0.1 would send people nowhere: refuse to
    start rather than guess.
    """
    if env.get("SITE_URL"):
        return _url(env, "SITE_URL", "", ("http", "https")).rstrip("/")
    bind = (env.get("GUNICORN_BIND") or DEFAULT_BIND).strip()
    local = _loopback_address(bind)
    if local is None:
        raise ConfigError(
            f"SITE_URL is not set, and the site is not only on this machine "
            f"(GUNICORN_BIND={bind}): set SITE_URL to its public address, "
            "like https://help.example.nl"
        )
    return local


def _timezone(env: Mapping[str, str], name: str, default: str) -> str:
    raw = env.get(name) or default
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(f"{name} is not a known time zone: {raw!r}") from error
    return raw


def _onion(env: Mapping[str, str], name: str) -> str | None:
    raw = (env.get(name) or "").strip()
    if not raw:
        return None
    host = urlsplit(raw).netloc or raw
    if not host.endswith(".onion"):
        raise ConfigError(f"{name} must be a .onion address, not {raw!r}")
    return host


GUNICORN_TIMEOUT_SECONDS = 30  # deploy/gunicorn.conf.py: a request must end before it


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    """A duration for a waiting request: above 0, and short enough to end before gunicorn's
    timeout (and a proxy's) cuts the connection."""
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < GUNICORN_TIMEOUT_SECONDS - 2:
        raise ConfigError(f"{name} must be a number of seconds from 0 to 28, not {raw!r}")
    return seconds


def read_secret_key(env: Mapping[str, str], instance_path: Path) -> str:
    """The secret key from SECRET_KEY, else from the instance folder's `secret_key` file.

    There is deliberately no fallback: a guessable key would let anyone forge staff sessions.
    `make run` writes a random key file for local use.
    """
    key = env.get("SECRET_KEY", "").strip()
    key_file = instance_path / "secret_key"
    if not key and key_file.is_file():
        key = key_file.read_text(encoding="utf-8").strip()
    if len(key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(
            "SECRET_KEY is missing or shorter than 32 characters: set it in the environment "
            f"or write a random one to {key_file} (make run does this)"
        )
    return key


def chat_store_url(env: Mapping[str, str], instance_path: Path) -> str:
    """Where chat state lives: CHAT_STORE_URL (redis:// or sqlite:///path), else a tmpfs file.

    The default keeps chats off any disk: systemd's RuntimeDirectory (RUNTIME_DIRECTORY, on
    /run, a tmpfs), else /dev/shm. The folder is named after the instance so that two sites on
    one machine never share chats.
    """
    raw = (env.get("CHAT_STORE_URL") or "").strip()
    if not raw:
        runtime = env.get("RUNTIME_DIRECTORY") or "/dev/shm"  # noqa: S108  (tmpfs on purpose)
        name = "helpline-chat-" + hashlib.sha256(str(instance_path).encode()).hexdigest()[:12]
        return f"sqlite:///{Path(runtime) / name / 'chat.sqlite3'}"
    if raw.startswith(("redis://", "rediss://", "unix://")) or raw.startswith("sqlite:///"):
        return raw
    raise ConfigError("CHAT_STORE_URL must be a redis://, rediss:// or sqlite:/// URL")


def _whole_number_overrides(env: Mapping[str, str], prefix: str, limits: type) -> dict[str, int]:
    """Overrides of a limits dataclass's fields from PREFIX_<FIELD> variables, each a whole
    number above 0 (CHAT_MAX_PARALLEL=4 for app.chat.store.Limits.max_parallel)."""
    from dataclasses import fields

    overrides = {}
    for field in fields(limits):
        name = f"{prefix}_{field.name.upper()}"
        raw = env.get(name, "").strip()
        if raw:
            if not raw.isdigit() or int(raw) < 1:
                raise ConfigError(f"{name} must be a whole number above 0, not {raw!r}")
            overrides[field.name] = int(raw)
    return overrides


def chat_limits(env: Mapping[str, str]) -> dict[str, int]:
    """Overrides of app.chat.store.Limits from CHAT_<FIELD> variables (CHAT_MAX_PARALLEL=4)."""
    from app.chat.store import Limits

    return _whole_number_overrides(env, "CHAT", Limits)


def read_messages_keys(env: Mapping[str, str], instance_path: Path) -> list[bytes]:
    """The messages key(s) from MESSAGES_KEY (comma-separated, newest first), else from the
    instance folder's `messages_key` file.

    Without a key no message could be stored or read, and a made-up key would make every
    stored message unreadable: refuse to start, like without SECRET_KEY. `make run` writes a
    random key file for local use.
    """
    from app.messages.crypto import BadKey, parse_keys

    raw = env.get("MESSAGES_KEY", "").strip()
    key_file = instance_path / "messages_key"
    if not raw and key_file.is_file():
        raw = key_file.read_text(encoding="utf-8").strip()
    if not raw:
        raise ConfigError(
            "MESSAGES_KEY is missing: set it in the environment or write a key to "
            f"{key_file} (make run does this), or set MESSAGES_ENABLED=false"
        )
    try:
        return parse_keys(raw)
    except BadKey:
        raise ConfigError(
            "MESSAGES_KEY must be 32 random bytes in urlsafe base64 (several: comma-separated), "
            "for example from: python3 -c 'import base64,secrets; "
            "print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())'"
        ) from None


def messages_limits(env: Mapping[str, str]) -> dict[str, int]:
    """Overrides of app.messages.store.Limits from MESSAGES_<FIELD> variables."""
    from app.messages.store import Limits

    return _whole_number_overrides(env, "MESSAGES", Limits)


def load_config(env: Mapping[str, str], instance_path: Path) -> dict[str, Any]:
    """Flask settings derived from `env`; raises ConfigError on any bad value."""
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'site.sqlite3'}"
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    if not database_url.startswith(("sqlite:", "postgresql+psycopg:")):
        raise ConfigError("DATABASE_URL must be a sqlite: or postgresql: URL")
    secure_cookies = _bool(env, "STAFF_COOKIE_SECURE", True)
    messages = _bool(env, "MESSAGES_ENABLED", True)
    return {
        "SECRET_KEY": read_secret_key(env, instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SITE_URL": site_url(env),
        "QUICK_EXIT_URL": _url(env, "QUICK_EXIT_URL", "https://www.buienradar.nl/", ("https",)),
        "ONION_ADDRESS": _onion(env, "ONION_ADDRESS"),
        "HSTS": _bool(env, "HSTS", False),
        "DISCREET_TITLES": _bool(env, "DISCREET_TITLES", True),
        "HOURS_TIMEZONE": _timezone(env, "HOURS_TIMEZONE", "Europe/Amsterdam"),
        "SECURITY_CONTACT": env.get("SECURITY_CONTACT") or "mailto:security@example.org",
        "SESSION_COOKIE_SECURE": secure_cookies,
        "CHAT_STORE_URL": chat_store_url(env, instance_path),
        "CHAT_LIMITS": chat_limits(env),
        # How long the chat's waiting requests wait for news before answering: a frame's long
        # poll and the console's (LONG_POLL), one event stream (EVENTS), and a queue frame,
        # whose place can change without a message (QUEUE_WAIT).
        "CHAT_LONG_POLL_SECONDS": _seconds(env, "CHAT_LONG_POLL_SECONDS", 25.0),
        "CHAT_EVENTS_SECONDS": _seconds(env, "CHAT_EVENTS_SECONDS", 25.0),
        "CHAT_QUEUE_WAIT_SECONDS": _seconds(env, "CHAT_QUEUE_WAIT_SECONDS", 5.0),
        # How often an open frame or event stream counts as a sign of life (Limits.present_seconds
        # must be a few of these).
        "CHAT_BEAT_SECONDS": _seconds(env, "CHAT_BEAT_SECONDS", 5.0),
        "MESSAGES_ENABLED": messages,
        "MESSAGES_KEYS": read_messages_keys(env, instance_path) if messages else [],
        "MESSAGES_LIMITS": messages_limits(env),
    }
