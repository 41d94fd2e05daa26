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

from inngest_lab.engine.model import (
    AppendHistory,
    Command,
    HistoryEntry,
    HistoryKind,
    ItemKind,
    Lease,
    QueueItem,
    SaveRun,
)
from inngest_lab.engine.signals import SdkResponded, Signal
from inngest_lab.observability import context
from inngest_lab.observability.metrics import Metrics
from inngest_lab.observability.run_spans import TRACED_KINDS
from inngest_lab.observability.tracing import RunTracer
from inngest_lab.observability.tracing import enabled as tracing_enabled
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store.ports import SharedStore, Store

log = logging.getLogger("inngest_lab.observability")

FOLLOWED_RUNS = 50_000  # runs followed in memory until they end (more are read from the store when they end)
FOLLOWED_ENTRIES = 1_000  # a run with more traced entries than this is read from the store when it ends
_ENDED = frozenset(status for status in RunStatus if status.is_terminal)  # a set test, not a property per commit


class Telemetry:
    def __init__(self, metrics: Metrics | None = None, tracer: RunTracer | None = None) -> None:
        self.metrics = metrics
        self.tracer = tracer
        self._store: Store | None = None
        self._exports: set[asyncio.Task[None]] = set()
        # On a store this process owns, every commit is local: a run's history, followed from its creation on,
        # is exactly what the store would return, so its trace needs no read of it when it ends.
        self._histories: dict[str, list[HistoryEntry]] | None = None
        if tracer is not None:
            context.sampled = tracer.sampled  # traceparent flags follow the configured sampler

    def attach(self, store: Store) -> None:
        """Follow ``store``'s local commits (the engine calls this once, when it starts)."""
        self._store = store
        store.subscribe_local_changes(self._committed)
        if self.tracer is not None and not isinstance(store, SharedStore):
            self._histories = {}

    def _committed(self, commands: Sequence[Command]) -> None:
        if self.metrics is not None:
            self.metrics.committed(commands)
        if self.tracer is None:
            return
        histories = self._histories
        ended: list[SaveRun] | None = None
        for c in commands:  # one pass (every step's commit comes here): follow the histories, note runs that ended
            if type(c) is AppendHistory:  # the engine's commands are final classes: ``type`` is enough, and cheaper
                if histories is not None:
                    entry = c.entry
                    kind = entry.kind
                    if kind is HistoryKind.RUN_SCHEDULED or kind in TRACED_KINDS:
                        self._follow(entry, histories)
            elif type(c) is SaveRun and c.run.status in _ENDED:
                ended = [c] if ended is None else [*ended, c]
        for c in ended or ():  # after the batch's entries: a run's last entries may come after its final SaveRun
            known = histories.pop(c.run.run_id, None) if histories is not None else None
            if known is not None:
                self._run_ended(c, known)
                continue
            task = asyncio.get_running_loop().create_task(self._export_run(c))
            self._exports.add(task)
            task.add_done_callback(self._exports.discard)

    @staticmethod
    def _follow(entry: HistoryEntry, histories: dict[str, list[HistoryEntry]]) -> None:
        """Follow the runs created since this process started: keep the entries their traces are drawn from
        (sleeps, waits, invokes, flow-control holds; small records), bounded in runs and entries per run. A run's
        RUN_SCHEDULED comes before its other entries in its batch."""
        kind = entry.kind
        if kind is HistoryKind.RUN_SCHEDULED:
            if entry.run_id not in histories and len(histories) < FOLLOWED_RUNS:
                histories[entry.run_id] = []
        elif kind in TRACED_KINDS:
            followed = histories.get(entry.run_id)
            if followed is not None:
                followed.append(entry)
                if len(followed) > FOLLOWED_ENTRIES:
                    del histories[entry.run_id]  # read from the store when it ends

    def _run_ended(self, saved: SaveRun, history: Sequence[HistoryEntry]) -> None:
        assert self.tracer is not None
        try:
            self.tracer.run_ended(saved.run, history)
        except Exception:
            log.exception("exporting the trace of run %s failed", saved.run.run_id)

    async def _export_run(self, saved: SaveRun) -> None:
        assert self._store is not None
        try:
            history = await self._store.history(saved.run.run_id)
        except Exception:
            log.exception("reading the history of run %s for its trace failed", saved.run.run_id)
            return
        self._run_ended(saved, history)

    def leased(self, leases: Sequence[Lease], now_ms: int, seconds: float) -> None:
        if self.metrics is not None:
            self.metrics.leased(leases, now_ms, seconds)

    def stored(self, op: str, seconds: float) -> None:
        """A store write of ``op`` (``ingest``: an event batch's runs, pauses, flow decisions) took ``seconds``."""
        if self.metrics is not None:
            self.metrics.store_op(op, seconds)

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

    def checkpointed(self, run_id: str, fn_id: str, qi_id: str, applied: Sequence[Command]) -> None:
        """An SDK's checkpoint of ``run_id`` committed ``applied``: the steps it ran get their spans."""
        if self.tracer is not None:
            try:
                self.tracer.steps_checkpointed(run_id, fn_id, qi_id, applied)
            except Exception:
                log.exception("exporting the spans of a checkpoint of run %s failed", run_id)

    async def close(self) -> None:
        """Finish pending run exports and flush the exporter (its thread, off the event loop). Idempotent."""
        if self._exports:
            await asyncio.gather(*self._exports, return_exceptions=True)
        tracer, self.tracer = self.tracer, None
        if tracer is not None:
            await asyncio.to_thread(tracer.shutdown)


def from_environment() -> Telemetry | None:
    """An embedded engine's telemetry: traces when the ``OTEL_*`` variables configure an exporter, else none
    at all (nothing imported, nothing on the hot path). Servers add metrics (``setup.build_telemetry``)."""
    return Telemetry(None, RunTracer()) if tracing_enabled() else None
