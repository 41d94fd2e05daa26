"""Steps that block until the test opens their gate, so a test can see exactly which steps execute at once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import inngest_lab as inngest
from inngest_lab.executor.clock import FakeClock

QUIESCE_TIMEOUT_S = 10.0


@dataclass
class Gates:
    """``work(name)`` is a step body: it records ``name`` as executing and waits for ``open(name)``."""

    executing: list[str] = field(default_factory=list)
    started: list[str] = field(default_factory=list)
    peak: int = 0
    _gates: dict[str, asyncio.Event] = field(default_factory=dict)
    _all_open: bool = False

    def _gate(self, name: str) -> asyncio.Event:
        gate = self._gates.setdefault(name, asyncio.Event())
        if self._all_open:
            gate.set()
        return gate

    async def work(self, name: str) -> str:
        self.executing.append(name)
        self.started.append(name)
        self.peak = max(self.peak, len(self.executing))
        try:
            await self._gate(name).wait()
        finally:
            self.executing.remove(name)
        return name

    def open(self, *names: str) -> None:
        for name in names:
            self._gate(name).set()

    def open_all(self) -> None:
        """Open every gate, including those of steps that have not started yet."""
        self._all_open = True
        for gate in self._gates.values():
            gate.set()

    async def quiesce(self, *labs: inngest.Lab, until: Callable[[], bool] = lambda: True) -> None:
        """Wait until ``until()`` holds and the engines can do nothing more before a gate opens: every item in
        flight is a gated step and nothing is due at the current (fake) time."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + QUIESCE_TIMEOUT_S
        while True:
            if until() and self._quiet(labs):
                await asyncio.sleep(0.01)  # SQLite commits land on the loop from the writer thread
                if self._quiet(labs):
                    return
            if loop.time() > deadline:
                flying = [lab.engine.in_flight for lab in labs]
                raise TimeoutError(f"engines did not quiesce; executing {self.executing}, in flight {flying}")
            await asyncio.sleep(0.001)

    def _quiet(self, labs: tuple[inngest.Lab, ...]) -> bool:
        if sum(lab.engine.in_flight for lab in labs) != len(self.executing):
            return False
        for lab in labs:
            due = lab.engine.store.next_due_ms()
            if due is not None and due <= lab.clock.now_ms():
                return False
        return True


async def send_apart(lab: inngest.Lab, events: list[dict[str, Any]], apart_ms: int = 1_000) -> list[str]:
    """Send ``events`` one by one, moving the fake clock ``apart_ms`` after each (without waiting for idle,
    which never comes while gated steps execute)."""
    clock = lab.clock
    assert isinstance(clock, FakeClock)
    ids: list[str] = []
    for event in events:
        ids += await lab.send_async([event])
        clock.advance(apart_ms)
    return ids
