"""Chat stores for tests: each contract test runs on SQLite (a real file) and on a real Redis."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.chat.sqlite_store import SqliteChatStore
from app.chat.store import ChatStore, Limits

T0 = 1_800_000_000.0  # a fixed "now" for the store's rules; tests move it forward by hand


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.chat.redis_server import running_redis

    with running_redis(tmp_path_factory.mktemp("redis")) as url:
        yield url


def make_store(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest, **limits: int
) -> ChatStore:
    if kind == "sqlite":
        return SqliteChatStore(tmp_path / "chat.sqlite3", Limits(**limits))
    from app.chat.redis_store import RedisChatStore

    url = request.getfixturevalue("redis_url")
    return RedisChatStore(url, Limits(**limits), prefix=f"test-{secrets.token_hex(6)}:")


@pytest.fixture(params=["sqlite", "redis"])
def store_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(store_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[ChatStore]:
    chat_store = make_store(store_kind, tmp_path, request)
    yield chat_store
    chat_store.close()
