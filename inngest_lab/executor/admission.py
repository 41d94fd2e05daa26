"""The shell around ``engine.flow``: which event/function pairs need an admission decision, and running
those decisions (and the flow timers) inside ``Store.transact_flow`` so state reads and writes are atomic.

Functions without flow-control options and events without a sender-chosen id never come here: ``split``
hands them back untouched, so they keep the plain ``Store.apply`` path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ulid import ULID

from inngest_lab.engine.flow.admit import admit_event, fire_timer, start_run, timeout_commands, user_event_id
from inngest_lab.engine.flow.config import FlowConfig, FlowConfigError, parse_flow_config
from inngest_lab.engine.flow.state import FlowTxn, FlowView
from inngest_lab.engine.ingest import RunPlan
from inngest_lab.engine.model import (
    Command,
    EventRecord,
    FunctionDef,
    ItemKind,
    PurgeFlowState,
    QueueItem,
    Run,
    SaveRun,
)
from inngest_lab.executor.ports import Clock
from inngest_lab.store.ports import Store

FLOW_TIMER_KINDS = frozenset({ItemKind.DEBOUNCE, ItemKind.BATCH, ItemKind.TIMEOUT})
PURGE_EVERY_MS = 3_600_000  # expired entries (24h event ids, idle throttle keys, …) are deleted at most hourly

Gated = tuple[EventRecord, FunctionDef]


def _new_run_id() -> str:
    return str(ULID())


class Admission:
    """Flow control for one engine. ``lookup`` returns the currently registered function for an id."""

    def __init__(self, store: Store, clock: Clock, lookup: Callable[[str], FunctionDef | None]) -> None:
        self._store = store
        self._clock = clock
        self._lookup = lookup
        self._configs: dict[str, tuple[FunctionDef, FlowConfig | None]] = {}
        self._purged_at_ms: int | None = None

    def config(self, fn: FunctionDef) -> FlowConfig | None:
        """``fn``'s admission options, None when it has none (parsed once per registered version)."""
        cached = self._configs.get(fn.fn_id)
        if cached is not None and cached[0] is fn:
            return cached[1]
        try:
            parsed: FlowConfig | None = parse_flow_config(fn.config)
        except FlowConfigError:
            parsed = None  # registration rejects these; a stored function from an older version runs unthrottled
        config = None if parsed is None or parsed.empty else parsed
        self._configs[fn.fn_id] = (fn, config)
        return config

    async def transact_start(
        self,
        fn: FunctionDef | None,
        run_id: str,
        decide: Callable[[Run | None, Callable[[RunPlan, str], list[Command]] | None], list[Command]],
    ) -> Sequence[Command]:
        """``Store.transact`` on ``run_id`` for a decision that may start a run of ``fn`` (a cron tick).

        With admission options the decision runs in ``transact_flow`` and gets a starter that applies them
        (singleton, throttle, timeouts); without, it is a plain ``transact`` and creates the run as usual.
        """
        config = self.config(fn) if fn is not None else None
        if config is None:
            return await self._store.transact(run_id, lambda run: decide(run, None))
        now = self._clock.now_ms()

        def flow_decide(view: FlowView) -> Sequence[Command]:
            txn = FlowTxn(view, now)

            def start(plan: RunPlan, new_run_id: str) -> list[Command]:
                before = len(txn.commands)
                start_run(plan.fn, config, plan.events, txn, new_run_id)
                return txn.commands[before:]

            return decide(view.run(run_id), start)

        return await self._store.transact_flow(flow_decide)

    def split(self, record: EventRecord, plans: list[RunPlan], gated: list[Gated]) -> list[RunPlan]:
        """Move the plans that need an admission decision into ``gated``; return the others."""
        if not plans:
            return plans
        if user_event_id(record) is not None:
            gated.extend((record, p.fn) for p in plans)
            return []
        plain = []
        for plan in plans:
            if self.config(plan.fn) is None:
                plain.append(plan)
            else:
                gated.append((record, plan.fn))
        return plain

    async def apply(self, commands: Sequence[Command], gated: Sequence[Gated]) -> None:
        """Apply ``commands`` plus the admission decisions for ``gated``, in one transaction."""
        if not gated:
            await self._store.apply(commands)
            return
        now = self._clock.now_ms()

        def decide(view: FlowView) -> Sequence[Command]:
            txn = FlowTxn(view, now)
            txn.emit(list(commands))
            for record, fn in gated:
                admit_event(fn, self.config(fn) or FlowConfig(), record, txn, _new_run_id)
            return [*txn.commands, *purge]

        purge: list[Command] = []
        if self._purged_at_ms is None or now - self._purged_at_ms >= PURGE_EVERY_MS:
            purge.append(PurgeFlowState(now))
            self._purged_at_ms = now
        await self._store.transact_flow(decide)

    async def fire(self, item: QueueItem) -> Sequence[Command]:
        """Handle a due flow timer (DEBOUNCE, BATCH or TIMEOUT); the item is acked in the same transaction."""
        now = self._clock.now_ms()
        fn = self._lookup(item.fn_id)
        if item.kind is ItemKind.TIMEOUT:

            def on_timeout(run: Run | None) -> list[Command]:
                return timeout_commands(run, item, fn, now)

            return await self._store.transact(item.run_id, on_timeout)

        def decide(view: FlowView) -> Sequence[Command]:
            txn = FlowTxn(view, now)
            fire_timer(item, fn, (self.config(fn) or FlowConfig()) if fn else None, txn, _new_run_id())
            return txn.commands

        return await self._store.transact_flow(decide)


def ended(commands: Sequence[Command]) -> bool:
    """Whether ``commands`` end a run (its pauses must then be dropped)."""
    return any(isinstance(c, SaveRun) and c.run.status.is_terminal for c in commands)
