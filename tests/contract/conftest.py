"""One contract suite for every ``Store`` adapter.

To add an adapter, add its name to ``ADAPTERS`` and a branch to ``_make_store``; every test in
this directory then runs against it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from inngest_lab.store.memory import MemoryStore
from inngest_lab.store.ports import Store
from inngest_lab.store.redis_pg import RedisPgConfig, RedisPgStore
from inngest_lab.store.sqlite import SqliteStore

ADAPTERS = ["memory", "sqlite", "redis_pg"]


def _make_store(name: str, shared_uris: tuple[str, str] | None, tmp_path: Path) -> Store:
    if name == "memory":
        return MemoryStore()
    if name == "sqlite":
        return SqliteStore(str(tmp_path / "db" / "store.sqlite3"))
    if name == "redis_pg" and shared_uris is not None:
        return RedisPgStore(RedisPgConfig(*shared_uris, postgres_max_idle_conns=1, postgres_max_open_conns=4))
    raise ValueError(f"unknown adapter {name!r}")


@pytest.fixture(params=ADAPTERS)
def adapter_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def shared_uris(adapter_name: str, request: pytest.FixtureRequest) -> tuple[str, str] | None:
    """Postgres and Redis URIs on real servers from Debian's packages (tests/services.py), for ``redis_pg`` only.

    A fixture of its own so that ``store`` (which depends on it) is closed before the database is dropped.
    """
    if adapter_name != "redis_pg":
        return None
    return str(request.getfixturevalue("postgres_uri")), str(request.getfixturevalue("redis_uri"))


@pytest.fixture
async def store(adapter_name: str, shared_uris: tuple[str, str] | None, tmp_path: Path) -> AsyncIterator[Store]:
    adapter = _make_store(adapter_name, shared_uris, tmp_path)
    await adapter.open()
    try:
        yield adapter
    finally:
        await adapter.close()


@pytest.fixture
async def pair(postgres_uri: str, redis_uri: str) -> AsyncIterator[tuple[RedisPgStore, RedisPgStore]]:
    """Two Postgres + Redis stores on the same URIs: two processes of one deployment."""
    stores = [
        RedisPgStore(RedisPgConfig(postgres_uri, redis_uri, postgres_max_idle_conns=1, postgres_max_open_conns=4))
        for _ in range(2)
    ]
    for adapter in stores:
        await adapter.open()
    try:
        yield stores[0], stores[1]
    finally:
        for adapter in stores:
            await adapter.close()


async def eventually(condition: Callable[[], object], timeout_s: float = 5.0) -> None:
    """Wait until ``condition()`` is true (another process's commit travels through Redis pub/sub)."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "the other process never saw it"
        await asyncio.sleep(0.005)
