"""The Postgres and Redis fixtures (tests/services.py) run real servers that real clients talk to."""

from __future__ import annotations

from collections.abc import Callable

import psycopg
import redis

from tests.services import PostgresServer, RedisServer


def test_postgres_uri_is_a_fresh_database_psycopg_can_use(postgres_uri: str) -> None:
    with psycopg.connect(postgres_uri) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone() == (0,)
        conn.execute("CREATE TABLE t (x int)")


def test_each_test_gets_its_own_postgres_database(postgres_uri: str, postgres_server: PostgresServer) -> None:
    other = postgres_server.create_database()
    assert other != postgres_uri
    postgres_server.drop_database(other.rsplit("/", 1)[1])


def test_redis_uri_is_an_empty_logical_database(redis_uri: str) -> None:
    client = redis.Redis.from_url(redis_uri)
    try:
        assert client.ping() is True
        assert client.dbsize() == 0
        client.set("k", "v")
    finally:
        client.close()


def test_redis_restart_keeps_acknowledged_writes_when_aof_is_on(
    make_redis_server: Callable[..., RedisServer],
) -> None:
    server = make_redis_server(aof=True)
    port = server.port
    client = redis.Redis.from_url(server.uri())
    try:
        client.set("acknowledged", "1")
        server.restart()
        assert server.port == port
        assert client.get("acknowledged") == b"1"  # redis-py reconnects on the same URI
    finally:
        client.close()


def test_redis_restart_without_aof_starts_empty(make_redis_server: Callable[..., RedisServer]) -> None:
    server = make_redis_server()
    client = redis.Redis.from_url(server.uri())
    try:
        client.set("volatile", "1")
        server.restart()
        assert client.get("volatile") is None
    finally:
        client.close()


def test_postgres_server_keeps_its_data_across_a_restart_and_a_kill(
    make_postgres_server: Callable[..., PostgresServer],
) -> None:
    server = make_postgres_server(synchronous_commit=True)
    uri = server.create_database("durable")
    with psycopg.connect(uri, autocommit=True) as conn:
        conn.execute("CREATE TABLE t (x int)")
        conn.execute("INSERT INTO t VALUES (1)")
    server.restart()
    with psycopg.connect(uri, autocommit=True) as conn:
        conn.execute("INSERT INTO t VALUES (2)")
    server.kill()
    server.start()
    with psycopg.connect(uri) as conn:
        assert conn.execute("SELECT x FROM t ORDER BY x").fetchall() == [(1,), (2,)]
