"""Where a production deployment's stores are (imports nothing heavy: the CLI and ``Lab`` parse it always)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RedisPgConfig:
    """Where the stores are and how the Postgres pool behaves (Inngest's flag names and defaults)."""

    postgres_uri: str
    redis_uri: str
    postgres_max_open_conns: int = 100
    postgres_max_idle_conns: int = 10
    postgres_conn_max_idle_time_s: float = 300.0
    postgres_conn_max_lifetime_s: float = 1800.0
    deployment: str = "inngest-lab"
    redis_max_conns: int = 128
