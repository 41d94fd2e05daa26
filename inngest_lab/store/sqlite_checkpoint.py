"""WAL checkpoints off the writer's critical path.

SQLite's automatic checkpoint runs inside the COMMIT that crosses the threshold, and with
``synchronous=NORMAL`` that is where the fsyncs happen: one commit in ~hundreds paid several ms
(p99 of a step went from 0.75 ms to 3.8 ms in ``benchmarks/store_bench.py``). So the writer's
auto-checkpoint is raised to a safety cap, and this helper runs a PASSIVE checkpoint from its own
connection on its own thread every ``every`` commits. PASSIVE never blocks the writer; if it
cannot keep up, the writer's cap still bounds the WAL.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from concurrent.futures import Future, ThreadPoolExecutor

WRITER_AUTOCHECKPOINT_PAGES = 16_384  # ~64 MiB of WAL with 4 KiB pages: the fallback bound
CHECKPOINT_EVERY_COMMITS = 256


class BackgroundCheckpointer:
    """Counts commits and checkpoints the WAL in the background. Use from the event loop."""

    def __init__(self, path: str, every: int = CHECKPOINT_EVERY_COMMITS) -> None:
        self._path = path
        self._every = every
        self._commits = 0
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inngest-lab-checkpoint")
        self._conn: sqlite3.Connection | None = None
        self._running: Future[None] | None = None

    def committed(self) -> None:
        self._commits += 1
        if self._commits >= self._every and (self._running is None or self._running.done()):
            self._commits = 0
            self._running = self._executor.submit(self._checkpoint)

    async def close(self) -> None:
        running = self._running
        if running is not None:
            await asyncio.wrap_future(running)
        await asyncio.wrap_future(self._executor.submit(self._close))
        self._executor.shutdown(wait=False)

    def _checkpoint(self) -> None:
        if self._conn is None:
            self._conn = sqlite3.connect(self._path, isolation_level=None, uri=self._path.startswith("file:"))
            self._conn.execute("PRAGMA busy_timeout = 1000")
        with contextlib.suppress(sqlite3.Error):  # best effort: the writer's auto-checkpoint is the backstop
            self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
