"""One contract suite for every ``Store`` adapter.

To add an adapter, add its name to ``ADAPTERS`` and a branch to ``_make_store``; every test in
this directory then runs against it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from inngest_lab.store.memory import MemoryStore
from inngest_lab.store.ports import Store
from inngest_lab.store.redis_pg import RedisPgConfig, RedisPgStore
from inngest_lab.store.sqlite import SqliteStore

ADAPTERS = ["memory", "sqlite", "redis_pg"]


def _make_store(name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if name == "memory":
        return MemoryStore()
    if name == "sqlite":
        return SqliteStore(str(tmp_path / "db" / "store.sqlite3"))
    if name == "redis_pg":  # real servers from Debian's packages (tests/services.py)
        uris = (str(request.getfixturevalue("postgres_uri")), str(request.getfixturevalue("redis_uri")))
        return RedisPgStore(RedisPgConfig(*uris, postgres_max_idle_conns=1, postgres_max_open_conns=4))
    raise ValueError(f"unknown adapter {name!r}")


@pytest.fixture(params=ADAPTERS)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    adapter = _make_store(str(request.param), request, tmp_path)
    await adapter.open()
    try:
        yield adapter
    finally:
        await adapter.close()
