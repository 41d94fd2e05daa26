"""Opening one process's connections to a deployment's Redis and Postgres (``RedisPgStore.open``): the pools,
a reachability check that fails within seconds, and Postgres' migrations."""

from __future__ import annotations

from dataclasses import dataclass

from psycopg_pool import AsyncConnectionPool
from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from inngest_lab.store.ports import StoreUnavailable
from inngest_lab.store.redis_pg.config import RedisPgConfig
from inngest_lab.store.redis_pg.pg import Conn
from inngest_lab.store.redis_pg.pg_schema import migrate

OPEN_TIMEOUT_S = 5.0  # an unreachable store at start is reported within this (twice for Postgres)


@dataclass(frozen=True, slots=True)
class Connections:
    redis: Redis
    pool: AsyncConnectionPool[Conn]

    async def close(self) -> None:
        await self.pool.close()
        await self.redis.aclose()


async def connect(cfg: RedisPgConfig) -> Connections:
    """Pools for ``cfg``'s Redis and Postgres, both reachable and Postgres migrated; ``StoreUnavailable`` if not."""
    # A bounded pool whose callers wait for a free connection instead of failing under bursts; commands
    # retry with backoff across a Redis restart.
    redis = Redis(
        connection_pool=BlockingConnectionPool.from_url(
            cfg.redis_uri,
            decode_responses=True,
            max_connections=cfg.redis_max_conns,
            timeout=30,
            retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), 40),
            retry_on_error=[RedisConnectionError, RedisTimeoutError, ConnectionResetError],
            health_check_interval=30,
        )
    )
    pool: AsyncConnectionPool[Conn] = AsyncConnectionPool(
        cfg.postgres_uri,
        min_size=max(1, min(cfg.postgres_max_idle_conns, cfg.postgres_max_open_conns)),
        max_size=cfg.postgres_max_open_conns,
        max_idle=cfg.postgres_conn_max_idle_time_s,
        max_lifetime=cfg.postgres_conn_max_lifetime_s,
        open=False,
        check=AsyncConnectionPool.check_connection,
    )
    try:
        # At start, an unreachable store is a configuration error: say so within seconds instead of
        # retrying as a running process does through a restart of Redis or Postgres.
        probe = Redis.from_url(cfg.redis_uri, socket_connect_timeout=OPEN_TIMEOUT_S, socket_timeout=OPEN_TIMEOUT_S)
        try:
            await probe.ping()
        finally:
            await probe.aclose()
        await pool.open(wait=True, timeout=OPEN_TIMEOUT_S * 2)
        async with pool.connection() as conn:
            await migrate(conn)
    except Exception as exc:
        await Connections(redis, pool).close()
        raise StoreUnavailable(f"cannot open the stores: {type(exc).__name__}: {exc}") from exc
    return Connections(redis, pool)
