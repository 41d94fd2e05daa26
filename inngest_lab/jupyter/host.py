"""The engine a Jupyter server hosts: built when the extension loads, started once the server's loop runs.

Functions reach it over HTTP (``/inngest-lab/fn/register`` with their serve URL, as any SDK app does),
so the engine uses the HTTP driver only: kernels that attach serve their functions on loopback.

The database file may be named only at start (``db_path`` is then a function): the default path is per
server and includes its port, which Jupyter settles after loading extensions.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from inngest_lab.executor.clock import SystemClock
from inngest_lab.executor.engine import Engine
from inngest_lab.executor.http_driver import HttpDriver
from inngest_lab.server.errors import InternalError
from inngest_lab.store.sqlite import SqliteStore
from inngest_lab.store.sqlite_lock import DatabaseInUseError

log = logging.getLogger("inngest_lab.jupyter")


class EngineHost:
    """Owns the engine and its HTTP driver. ``ready()`` starts the engine once; ``stop()`` shuts it down.

    When the database is owned by another process the engine stays down: ``ready()`` raises an ``ApiError``
    whose message is ``DatabaseInUseError``'s (the extension's requests show it), and Jupyter keeps running.
    """

    def __init__(self, db_path: Path | Callable[[], Path], *, workers: int) -> None:
        self._db_path = db_path
        self._http = HttpDriver(signing_key=None)
        self._store = SqliteStore("")  # its path is set at start (see module docstring)
        self.engine = Engine(self._store, SystemClock(), {"http": self._http, "https": self._http}, workers=workers)
        self._started: asyncio.Future[None] | None = None

    @property
    def db_path(self) -> Path:
        """The SQLite file (resolved on first use, then fixed)."""
        if callable(self._db_path):
            self._db_path = self._db_path()
        return self._db_path

    async def ready(self) -> None:
        """Start the engine on first use (every request awaits this; only the first one does the work)."""
        if self._started is None:
            self._started = asyncio.ensure_future(self._start())
        try:
            await asyncio.shield(self._started)
        except DatabaseInUseError as exc:
            raise InternalError(str(exc)) from None

    async def _start(self) -> None:
        path = self.db_path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._store.path = str(path)
        try:
            await self.engine.start()
        except DatabaseInUseError as exc:
            log.error("inngest-lab: the engine is not running: %s", exc)  # the message says it all: no traceback
            raise

    async def stop(self) -> None:
        if self._started is None:
            return
        if self._started.done() and self._started.exception() is None:
            await self.engine.stop()
        await self._store.close()  # a refused start leaves nothing open; this is then a no-op
        await self._http.close()
