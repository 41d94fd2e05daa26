"""This process's copy of the synced functions and their trigger index (``Engine.registry``).

The store holds the registry; every process plans events against a copy, refreshed when this process syncs or
removes an app and when another process says it did (``subscribe_config``). Two contracts close the races that
lost runs (an event stored, no run created):

* **Newest read wins.** Refreshes overlap (start-up, a sync, another process's notice, a run of an unknown
  function): one that started earlier and finishes later would put back a registry without the functions just
  synced. A refresh's result is applied only if no refresh that started after it was applied already.
* **Planning waits for a change in progress.** A sync commits the app (and ``/dev`` and ``/lab/functions``
  show it) a moment before the refresh that follows has read it back; an event planned in between matched the
  old index. While this process changes the registry, event planning waits until the change and its refresh
  are done. Waiting costs nothing when no change is in progress.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from inngest_lab.engine.model import FunctionDef
from inngest_lab.engine.triggers import TriggerIndex
from inngest_lab.store.ports import Store


class FunctionRegistry:
    """Functions by id and their trigger index, as of the newest refresh applied."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.by_id: dict[str, FunctionDef] = {}
        self.index = TriggerIndex([])
        self._started = 0  # refreshes started so far
        self._applied = 0  # the number of the newest refresh applied
        self._changing = 0  # changes of this process in progress
        self._settled: asyncio.Event | None = None

    async def refresh(self) -> None:
        """Read the registry from the store and apply it, unless a refresh started later was applied first."""
        self._started += 1
        number = self._started
        functions = await self._store.list_functions()
        if number < self._applied:
            return
        self._applied = number
        self.by_id = {f.fn_id: f for f in functions}
        self.index = TriggerIndex(functions)

    @asynccontextmanager
    async def changing(self) -> AsyncIterator[None]:
        """Wrap a change of the stored registry: planning waits until it and the refresh after it are done."""
        if self._settled is None:
            self._settled = asyncio.Event()
        self._changing += 1
        self._settled.clear()
        try:
            yield
            await self.refresh()
        finally:
            self._changing -= 1
            if not self._changing:
                self._settled.set()

    async def settled(self) -> None:
        """Return once no change of this process's registry is in progress."""
        while self._changing and self._settled is not None:
            await self._settled.wait()
