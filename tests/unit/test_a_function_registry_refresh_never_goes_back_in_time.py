"""``FunctionRegistry.refresh``: reads that finish out of order never put back an older registry."""

from __future__ import annotations

import asyncio

from inngest_lab.engine.model import FunctionDef
from inngest_lab.executor.registry import FunctionRegistry


class _Registry:
    """The one store method a refresh reads; each call answers what was stored when it was called, when told."""

    def __init__(self) -> None:
        self.stored: list[FunctionDef] = []
        self.gates: list[asyncio.Event] = []

    async def list_functions(self) -> list[FunctionDef]:
        snapshot, gate = list(self.stored), asyncio.Event()
        self.gates.append(gate)
        await gate.wait()
        return snapshot


def _fn(name: str) -> FunctionDef:
    return FunctionDef(fn_id=f"app-{name}", app_id="app", name=name, url="inproc://app", triggers=())


async def test_an_older_read_finishing_last_is_dropped() -> None:
    store = _Registry()
    registry = FunctionRegistry(store)  # type: ignore[arg-type]
    older = asyncio.create_task(registry.refresh())  # reads the registry before the sync
    await asyncio.sleep(0)
    store.stored = [_fn("greet")]
    newer = asyncio.create_task(registry.refresh())  # reads it after
    await asyncio.sleep(0)

    store.gates[1].set()
    await newer
    store.gates[0].set()
    await older

    assert list(registry.by_id) == ["app-greet"]


async def test_planning_waits_for_a_change_in_progress() -> None:
    store = _Registry()
    registry = FunctionRegistry(store)  # type: ignore[arg-type]

    async def change() -> None:
        async with registry.changing():
            store.stored = [_fn("greet")]

    changing = asyncio.create_task(change())
    await asyncio.sleep(0)

    async def plan() -> list[str]:
        await registry.settled()
        return list(registry.by_id)  # what an event planned now would match

    planning = asyncio.create_task(plan())
    await asyncio.sleep(0.01)
    assert not planning.done()  # the change's refresh has not read the registry back yet

    store.gates[0].set()
    await changing
    assert await planning == ["app-greet"]
