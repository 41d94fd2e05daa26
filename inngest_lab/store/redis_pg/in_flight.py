"""This process's writes in flight to a Postgres + Redis deployment, by what they touch.

A read waits for the writes this process submitted before it (``settled``), as a read queued behind them on one
connection would: the engine's own reads follow its own writes even though commits travel concurrently.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable, Iterator


class InFlight:
    def __init__(self) -> None:
        self._runs: dict[str, list[asyncio.Future[None]]] = {}
        self._pauses: set[asyncio.Future[None]] = set()
        self._flow: set[asyncio.Future[None]] = set()

    @contextlib.contextmanager
    def writing(self, runs: Iterable[str], *, pauses: bool, flow: bool) -> Iterator[None]:
        """A write to ``runs`` (and to pauses, or flow state) is in flight while inside."""
        runs = tuple(runs)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        for run_id in runs:
            self._runs.setdefault(run_id, []).append(done)
        if pauses:
            self._pauses.add(done)
        if flow:
            self._flow.add(done)
        try:
            yield
        finally:
            for run_id in runs:
                waiting = self._runs[run_id]
                waiting.remove(done)
                if not waiting:
                    del self._runs[run_id]
            self._pauses.discard(done)
            self._flow.discard(done)
            done.set_result(None)

    async def settled(self, run_id: str | None = None, *, pauses: bool = False, flow: bool = False) -> None:
        """Wait for the writes in flight to ``run_id`` (or to pauses, or flow state)."""
        waits = list(self._runs.get(run_id, ())) if run_id is not None else []
        if pauses:
            waits.extend(self._pauses)
        if flow:
            waits.extend(self._flow)
        if waits:
            await asyncio.gather(*waits)
