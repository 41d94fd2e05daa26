"""The production store: Redis (queue, hot run state, pauses, flow state) + Postgres (history, API reads)."""

from inngest_lab.store.ports import LeaseLost, StoreUnavailable
from inngest_lab.store.redis_pg.store import RedisPgConfig, RedisPgStore

__all__ = ["LeaseLost", "RedisPgConfig", "RedisPgStore", "StoreUnavailable"]
