"""``Telemetry``: the executor's observability hooks, one object per engine, every part optional.

The engine calls three hooks (a few lines in ``executor/engine.py``): ``leased`` after each lease, and
``transitioned`` after each run transition it commits; ``attach`` subscribes to the store's local change
feed. Metrics and tracing read what happened from these; neither can change what the engine decides, and a
failing hook is logged, never raised into the engine.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from inngest_lab.engine.model import Command, ItemKind, Lease, QueueItem, SaveRun
from inngest_lab.engine.signals import SdkResponded, Signal
from inngest_lab.observability import context
from inngest_lab.observability.metrics import Metrics
from inngest_lab.observability.tracing import RunTracer
from inngest_lab.store.ports import Store

log = logging.getLogger("inngest_lab.observability")


class Telemetry:
    def __init__(self, metrics: Metrics | None = None, tracer: RunTracer | None = None) -> None:
        self.metrics = metrics
        self.tracer = tracer
        self._store: Store | None = None
        self._exports: set[asyncio.Task[None]] = set()
        if tracer is not None:
            context.sampled = tracer.sampled  # traceparent flags follow the configured sampler

    def attach(self, store: Store) -> None:
        """Follow ``store``'s local commits (the engine calls this once, when it starts)."""
        self._store = store
        store.subscribe_local_changes(self._committed)

    def _committed(self, commands: Sequence[Command]) -> None:
        if self.metrics is not None:
            self.metrics.committed(commands)
        if self.tracer is not None:
            for c in commands:
                if isinstance(c, SaveRun) and c.run.status.is_terminal:
                    task = asyncio.get_running_loop().create_task(self._export_run(c))
                    self._exports.add(task)
                    task.add_done_callback(self._exports.discard)

    async def _export_run(self, saved: SaveRun) -> None:
        assert self.tracer is not None and self._store is not None
        try:
            self.tracer.run_ended(saved.run, await self._store.history(saved.run.run_id))
        except Exception:
            log.exception("exporting the trace of run %s failed", saved.run.run_id)

    def leased(self, leases: Sequence[Lease], now_ms: int, seconds: float) -> None:
        if self.metrics is not None:
            self.metrics.leased(leases, now_ms, seconds)

    def transitioned(self, item: QueueItem, signal: Signal, applied: Sequence[Command], seconds: float) -> None:
        """A transition of ``item``'s run committed ``applied`` in ``seconds`` (the store transaction)."""
        if self.metrics is not None:
            self.metrics.store_op("transact", seconds)
        if not isinstance(signal, SdkResponded) or item.kind is not ItemKind.CALL:
            return
        if self.metrics is not None:
            self.metrics.called(item.fn_id, signal.status)
        if self.tracer is not None:
            try:
                self.tracer.call_ended(item, signal, applied)
            except Exception:
                log.exception("exporting the span of call %s failed", item.item_id)

    async def close(self) -> None:
        """Finish pending run exports and flush the exporter (its thread, off the event loop)."""
        if self._exports:
            await asyncio.gather(*self._exports, return_exceptions=True)
        if self.tracer is not None:
            await asyncio.to_thread(self.tracer.shutdown)
