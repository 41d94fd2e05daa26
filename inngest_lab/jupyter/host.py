"""The engine a Jupyter server hosts: built when the extension loads, started once the server's loop runs.

Functions reach it over HTTP (``/inngest-lab/fn/register`` with their serve URL, as any SDK app does),
so the engine uses the HTTP driver only: kernels that attach serve their functions on loopback.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from inngest_lab.executor.clock import SystemClock
from inngest_lab.executor.engine import Engine
from inngest_lab.executor.http_driver import HttpDriver
from inngest_lab.store.sqlite import SqliteStore


class EngineHost:
    """Owns the engine and its HTTP driver. ``ready()`` starts the engine once; ``stop()`` shuts it down."""

    def __init__(self, db_path: Path, *, workers: int) -> None:
        self.db_path = db_path
        self._http = HttpDriver(signing_key=None)
        self.engine = Engine(
            SqliteStore(str(db_path)), SystemClock(), {"http": self._http, "https": self._http}, workers=workers
        )
        self._started: asyncio.Future[None] | None = None

    async def ready(self) -> None:
        """Start the engine on first use (every request awaits this; only the first one does the work)."""
        if self._started is None:
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
            self._started = asyncio.ensure_future(self.engine.start())
        await asyncio.shield(self._started)

    async def stop(self) -> None:
        if self._started is None:
            return
        if self._started.done() and self._started.exception() is None:
            await self.engine.stop()
        await self._http.close()
