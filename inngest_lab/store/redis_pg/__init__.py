"""The production store: Redis (queue, hot run state, pauses, flow state) + Postgres (history, API reads).

``RedisPgStore`` is imported on first use: redis-py and psycopg are only loaded by processes that run on them
(their objects would otherwise make every garbage collection of an embedded SQLite engine slower).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from inngest_lab.store.ports import LeaseLost, StoreUnavailable
from inngest_lab.store.redis_pg.config import RedisPgConfig

if TYPE_CHECKING:
    from inngest_lab.store.redis_pg.store import RedisPgStore

__all__ = ["LeaseLost", "RedisPgConfig", "RedisPgStore", "StoreUnavailable"]


def __getattr__(name: str) -> Any:
    if name == "RedisPgStore":
        from inngest_lab.store.redis_pg.store import RedisPgStore

        return RedisPgStore
    raise AttributeError(name)
