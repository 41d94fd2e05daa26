"""Fixtures shared by every test directory."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

import inngest_lab as inngest
from tests.services import MissingServiceBinary, PostgresServer, RedisServer, flush_redis_db


@pytest.fixture
async def lab(tmp_path: Path) -> AsyncIterator[inngest.Lab]:
    """An embedded Lab on a real SQLite file with a fake clock, closed after the test."""
    lab = inngest.Lab(tmp_path / "lab.db", fake_clock=True)
    await lab.start()
    try:
        yield lab
    finally:
        await lab.close()


# Real Postgres and Redis (tests/services.py). The session servers start on first use only, so a run that
# needs neither pays nothing; each test gets a fresh database on them. A missing binary fails the test
# (``make test`` installs the servers), it never skips.

S = TypeVar("S")

REDIS_DATABASES = 16
"""redis-server's default ``databases``: ``redis_uri`` hands them out round robin, flushed before use."""


def _start(server: Callable[[], S]) -> S:
    """``server()`` started, or the test failed (never skipped) with what to install."""
    try:
        return server()
    except MissingServiceBinary as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One redis-server for the whole session (no persistence); tests use ``redis_uri``."""
    server = _start(lambda: RedisServer(tmp_path_factory.mktemp("redis")).start())
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    """One PostgreSQL cluster for the whole session; tests use ``postgres_uri``."""
    server = _start(lambda: PostgresServer(tmp_path_factory.mktemp("postgres")).start())
    try:
        yield server
    finally:
        server.close()


_redis_db_numbers = itertools.cycle(range(REDIS_DATABASES))


@pytest.fixture
def redis_uri(redis_server: RedisServer) -> Iterator[str]:
    """``redis://127.0.0.1:<port>/<n>``: a logical database of the session's Redis, empty at the start."""
    uri = redis_server.uri(next(_redis_db_numbers))
    flush_redis_db(uri)
    yield uri
    flush_redis_db(uri)


@pytest.fixture
def postgres_uri(postgres_server: PostgresServer) -> Iterator[str]:
    """``postgresql://<user>@127.0.0.1:<port>/t_<random>``: a new empty database, dropped after the test."""
    uri = postgres_server.create_database()
    try:
        yield uri
    finally:
        postgres_server.drop_database(uri.rsplit("/", 1)[1])


@pytest.fixture
def make_redis_server(tmp_path: Path) -> Iterator[Callable[..., RedisServer]]:
    """Start a separate redis-server the test may stop, kill and restart (``make_redis_server(aof=True)``);
    closed at teardown."""
    servers: list[RedisServer] = []

    def make(*, port: int | None = None, aof: bool = False, appendfsync: str = "everysec") -> RedisServer:
        server = _start(lambda: RedisServer(tmp_path, port, aof=aof, appendfsync=appendfsync))
        servers.append(server)
        return server.start()

    yield make
    for server in servers:
        server.close()


@pytest.fixture
def make_postgres_server(tmp_path: Path) -> Iterator[Callable[..., PostgresServer]]:
    """Start a separate PostgreSQL cluster the test may stop, kill and restart; closed at teardown.
    ``synchronous_commit=True`` when a kill must not lose acknowledged commits (see tests/services.py)."""
    servers: list[PostgresServer] = []

    def make(*, port: int | None = None, synchronous_commit: bool = False) -> PostgresServer:
        server = _start(lambda: PostgresServer(tmp_path, port, synchronous_commit=synchronous_commit))
        servers.append(server)
        return server.start()

    yield make
    for server in servers:
        server.close()
