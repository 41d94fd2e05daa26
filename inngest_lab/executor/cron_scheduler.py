"""The shell around ``engine/schedule.py``: arm cron ticks on start and sync, fire due ``cron`` items.

Every decision is the pure module's; this class only reads the clock and the random source and talks to the store.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Mapping, Sequence

from inngest_lab.engine import schedule
from inngest_lab.engine.model import Command, Dequeue, FunctionDef, QueueItem, Run
from inngest_lab.executor.ports import Clock
from inngest_lab.store.ports import Store

TransactStart = Callable[
    [FunctionDef | None, str, Callable[[Run | None, schedule.Starter | None], list[Command]]],
    Awaitable[Sequence[Command]],
]
"""``Admission.transact_start``: run a decision that may start a run of the function under flow control."""


class CronScheduler:
    """Arms and fires cron ticks for one engine. ``is_paused(fn_id)`` says whether a function is paused."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        rng: random.Random,
        function: Callable[[str], FunctionDef | None],
        is_paused: Callable[[str], bool] = lambda _fn_id: False,
        transact_start: TransactStart | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._rng = rng
        self._function = function
        self._is_paused = is_paused
        self._transact_start = transact_start

    async def arm(
        self, functions: Mapping[str, FunctionDef], previous: Mapping[str, FunctionDef] | None = None
    ) -> None:
        """Arm the next tick of every cron in ``functions``; drop the armed ticks of crons ``previous`` had and
        ``functions`` lost (a sync that changed or removed a cron). Called on every start and every sync."""
        now = self._clock.now_ms()
        commands: list[Command] = [
            Dequeue(item_id)
            for fn in (previous or {}).values()
            for item_id in schedule.disarm(fn, functions.get(fn.fn_id), now)
        ]
        commands += [
            schedule.arm(fn, trigger, now, self._rng.random())
            for fn in functions.values()
            for trigger in schedule.cron_triggers(fn)
        ]
        if commands:
            await self._store.apply(commands)

    async def fire(self, item: QueueItem) -> None:
        """Fire a due ``cron`` item (exactly once per tick across workers and processes; see engine/schedule.py)."""
        now = self._clock.now_ms()
        tick = schedule.tick_to_fire(item, now)
        fn = self._function(tick.fn_id)
        paused = self._is_paused(tick.fn_id)
        jitter = self._rng.random()

        def decide(run: Run | None, start: schedule.Starter | None = None) -> list[Command]:
            return schedule.fire(run, item, tick, fn, now, jitter, paused=paused, start=start)

        run_id = schedule.tick_run_id(tick.fn_id, tick.cron, tick.tick_ms)
        if self._transact_start is not None:
            await self._transact_start(fn, run_id, decide)
        else:
            await self._store.transact(run_id, decide)
