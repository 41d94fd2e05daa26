"""The shell of async checkpoints: check the dispatch, then commit the pure decision (``engine/checkpoint.py``).

A dispatch is the lease an engine took on a call item before calling the SDK; the call request carries the item
id (``ctx.qi_id``) and the lease id (``X-Request-ID``), and the SDK echoes both in each checkpoint. The dispatch
is *current* while that lease still holds the item: extending it both checks that (through the store, so across
processes in production mode) and keeps the item from being handed to another worker while the SDK works.

As in Inngest (``pkg/execution/checkpoint``, dispatch validation) the steps are saved even when the dispatch is
stale: the SDK really did run them, and first-write-wins makes the save harmless. The caller is then told
``STALE`` (a 409), so the SDK stops rather than run further steps that a newer dispatch will run again.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from inngest_lab.engine.checkpoint import AsyncCheckpoint, checkpoint_commands, dispatched_item
from inngest_lab.engine.model import Command, Lease, Run, SaveRun, SaveStep

if TYPE_CHECKING:
    from inngest_lab.executor.engine import Engine


class CheckpointOutcome(StrEnum):
    SAVED = "saved"
    STALE = "stale"  # the dispatch was superseded or the run has ended: the SDK must stop (409)
    NOT_FOUND = "not_found"


@dataclass(frozen=True, slots=True)
class CheckpointResult:
    outcome: CheckpointOutcome
    saved: int = 0  # steps newly memoized by this checkpoint


class Checkpoints:
    """Async checkpoints for one engine (``Engine.checkpoints``)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    async def save(self, cp: AsyncCheckpoint, sdk: str) -> CheckpointResult:
        """Save ``cp``'s steps for its run (first write wins) and say whether the SDK may carry on."""
        engine = self._engine
        store = engine.store
        run = await store.load_run(cp.run_id)
        if run is None:
            return CheckpointResult(CheckpointOutcome.NOT_FOUND)
        fn = await engine.function_or_reload(run.fn_id)
        now = engine.clock.now_ms()

        def decide(latest: Run | None) -> list[Command]:
            return list(checkpoint_commands(latest, cp, fn, now, sdk))

        # The lease check does not gate the save (see the module doc), so the two go to the store together: on
        # Redis they share one round trip (``store/redis_pg/autopipe.py``).
        extending = None if run.status.is_terminal else asyncio.ensure_future(self._extend(run, cp))
        try:
            applied = await store.transact(cp.run_id, decide, now_ms=now)
        finally:
            current = extending is not None and await extending
        if engine.telemetry is not None:
            engine.telemetry.checkpointed(cp.run_id, run.fn_id, cp.qi_id, applied)
        saved = sum(1 for c in applied if isinstance(c, SaveStep))
        if any(isinstance(c, SaveRun) and c.run.status.is_terminal for c in applied):
            await engine._drop_pauses(cp.run_id)  # a step limit or the state limit ended the run
            current = False
        return CheckpointResult(CheckpointOutcome.SAVED if current else CheckpointOutcome.STALE, saved)

    async def _extend(self, run: Run, cp: AsyncCheckpoint) -> bool:
        """Whether ``cp``'s dispatch still holds its item, extending the lease when it does.

        Without a request id (an SDK that does not echo it) there is nothing to check, as in Go.
        """
        if cp.request_id is None:
            return True
        engine = self._engine
        now = engine.clock.now_ms()
        lease = Lease(item=dispatched_item(run, cp.qi_id), lease_id=cp.request_id, expires_at_ms=now + 1)
        return await engine.store.extend(lease, now, engine.lease_ms) is not None
