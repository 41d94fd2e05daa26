"""The Lua scripts of ``lua/``, each loaded once by SHA (redis-py's ``Script`` reloads after a Redis restart).

Every script gets ``common.lua`` prepended and the deployment's key prefix as ``KEYS[1]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

from redis.asyncio import Redis
from redis.commands.core import AsyncScript


def _source(name: str) -> str:
    return resources.files(__package__).joinpath("lua", name).read_text(encoding="utf-8")


@dataclass(frozen=True, slots=True)
class Scripts:
    """One callable per script: ``await scripts.apply(keys=[prefix], args=[...])``."""

    lease: AsyncScript
    extend: AsyncScript
    release: AsyncScript
    apply: AsyncScript
    forget: AsyncScript
    lock: AsyncScript

    @classmethod
    def register(cls, redis: Redis) -> Scripts:
        common = _source("common.lua")
        loaded: dict[str, Any] = {
            name: redis.register_script(common + "\n" + _source(f"{name}.lua"))
            for name in ("lease", "extend", "release", "apply", "forget", "lock")
        }
        return cls(**loaded)
