"""Small helpers shared by the scenario tests: find a run that has not ended, read its timeline."""

from __future__ import annotations

from inngest_lab import Lab, Run
from inngest_lab.engine.model import HistoryEntry, HistoryKind


async def started_run(lab: Lab, event_id: str) -> Run:
    """The single run ``event_id`` started, once the engine has nothing left to do at the current time.

    Unlike ``lab.wait`` it does not wait for the run to end, so it works for runs parked on the fake clock.
    """
    await lab.idle()
    [run] = await lab.runs(event_id=event_id)
    return run


async def current(lab: Lab, run_id: str) -> Run:
    """The stored run ``run_id`` (it must exist)."""
    run = await lab.run(run_id)
    assert run is not None, f"run {run_id} not found"
    return run


async def history(lab: Lab, run_id: str) -> list[HistoryEntry]:
    return list(await lab.engine.store.history(run_id))


async def history_kinds(lab: Lab, run_id: str) -> list[HistoryKind]:
    return [entry.kind for entry in await history(lab, run_id)]
