"""In-memory ``Store``: dicts plus the shared ``QueueIndex``. For tests, notebooks and embedded use.

Atomicity and serialization come from the event loop: ``apply`` and ``transact`` never await
between reading state and committing, so no other coroutine can interleave (a per-run lock would
never be contended). Commands are validated before the first write, so a batch applies fully or
not at all. Nothing survives the process.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from inngest_lab.engine.model import (
    Ack,
    App,
    AppendHistory,
    ClaimSignal,
    Command,
    ConsumePause,
    CreatePause,
    DeleteFlowState,
    DeletePause,
    Dequeue,
    EmitEvent,
    Enqueue,
    EventRecord,
    FlowEntry,
    FunctionDef,
    HistoryEntry,
    Json,
    Lease,
    Pause,
    PurgeFlowState,
    PutFlowState,
    Run,
    SaveRun,
    SaveStep,
    StoreEvent,
)
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store.codec import registry_checksum
from inngest_lab.store.feed import Feed
from inngest_lab.store.pause_lookup import PauseLookup
from inngest_lab.store.ports import Decide, FlowDecide, Purged, StoreGauges
from inngest_lab.store.ports.maintenance import throttled_start
from inngest_lab.store.queue_index import QueueIndex


def reject_emit(commands: Sequence[Command]) -> None:
    """``EmitEvent`` belongs to the executor, which expands it before calling the store."""
    for command in commands:
        if isinstance(command, EmitEvent):
            raise ValueError("EmitEvent must be expanded by the executor before it reaches the store")


class MemoryStore:
    """A ``Store`` kept in process memory."""

    def __init__(self) -> None:
        self._runs: dict[str, Run] = {}  # metadata only; steps live in _steps
        self._steps: dict[str, dict[str, Json]] = {}  # insertion order is the stack
        self._events: dict[str, EventRecord] = {}
        self._pauses = PauseLookup()
        self._history: dict[str, list[HistoryEntry]] = {}
        self._apps: dict[str, tuple[App, str]] = {}  # app_id -> (app, registry checksum)
        self._functions: dict[str, FunctionDef] = {}
        self._flow: dict[str, FlowEntry] = {}
        self._queue = QueueIndex()
        self._feed = Feed()
        self._records: dict[tuple[str, str], tuple[int, Json]] = {}  # (kind, id) -> (created_at_ms, record)

    async def open(self) -> None:
        return None

    async def close(self) -> None:
        return None

    # ------------------------------------------------------------ writes

    async def apply(self, commands: Sequence[Command]) -> None:
        self._commit(commands)

    async def transact(self, run_id: str, decide: Decide, *, now_ms: int | None = None) -> Sequence[Command]:
        commands = list(decide(self._load(run_id)))
        self._commit(commands)
        return commands

    async def transact_flow(self, decide: FlowDecide) -> Sequence[Command]:
        commands = list(decide(_MemoryFlowView(self)))
        self._commit(commands)
        return commands

    async def flow_state(self, key: str) -> FlowEntry | None:
        return self._flow.get(key)

    def _commit(self, commands: Sequence[Command]) -> None:
        reject_emit(commands)
        enqueued = False
        for command in commands:
            enqueued = self._apply_one(command) or enqueued
        self._feed.publish(commands)
        if enqueued:
            self._feed.wake()

    def _apply_one(self, command: Command) -> bool:
        """Apply one validated command; return True when it enqueued an item."""
        match command:
            case SaveRun(run=run):
                self._runs[run.run_id] = replace(run, steps={}, stack=())
            case SaveStep(run_id=run_id, step_id=step_id, memo=memo):
                self._steps.setdefault(run_id, {}).setdefault(step_id, memo)  # first save wins
            case Enqueue(item=item):
                return self._queue.add(item)
            case Dequeue(item_id=item_id) | Ack(item_id=item_id):
                self._queue.remove(item_id)
            case CreatePause(pause=pause):
                self._pauses.add(pause)
            case DeletePause(pause_id=pause_id):
                self._pauses.remove(pause_id)
            case ConsumePause(pause_id=pause_id, then=then):
                return self._pauses.remove(pause_id) and self._queue.add(then)
            case ClaimSignal(signal=signal, pause_id=pause_id, replace=replace_holder, on_conflict=item):
                return not self._pauses.claim_signal(signal, pause_id, replace_holder) and self._queue.add(item)
            case StoreEvent(event=event):
                self._events.setdefault(event.internal_id, event)
            case AppendHistory(entry=entry):
                self._history.setdefault(entry.run_id, []).append(entry)
                if (held := throttled_start(entry)) is not None:
                    self._queue.hold(held, "throttle")
            case PutFlowState(entry=flow):
                self._flow[flow.key] = flow
            case DeleteFlowState(key=key):
                self._flow.pop(key, None)
            case PurgeFlowState(now_ms=now_ms):
                for key in [k for k, e in self._flow.items() if not e.live(now_ms)]:
                    del self._flow[key]
            case EmitEvent():  # pragma: no cover - rejected by reject_emit
                raise ValueError("EmitEvent reached the store")
        return False

    def subscribe_changes(self, listener: Callable[[Sequence[Command]], None]) -> None:
        self._feed.subscribe_changes(listener)

    def subscribe_local_changes(self, listener: Callable[[Sequence[Command]], None]) -> None:
        self._feed.subscribe_local_changes(listener)

    # ------------------------------------------------------------ runs

    def _load(self, run_id: str) -> Run | None:
        meta = self._runs.get(run_id)
        if meta is None:
            return None
        steps = dict(self._steps.get(run_id, {}))  # a snapshot: later saves must not show through
        return replace(meta, steps=steps, stack=tuple(steps))

    async def load_run(self, run_id: str) -> Run | None:
        return self._load(run_id)

    async def list_runs(
        self,
        *,
        fn_id: str | None = None,
        status: Sequence[RunStatus] | None = None,
        event_id: str | None = None,
        since_ms: int | None = None,
        until_ms: int | None = None,
        limit: int = 100,
    ) -> list[Run]:
        statuses = set(status) if status is not None else None
        found = [
            run
            for run in self._runs.values()
            if (fn_id is None or run.fn_id == fn_id)
            and (statuses is None or run.status in statuses)
            and (event_id is None or event_id in run.event_ids)
            and (since_ms is None or run.created_at_ms >= since_ms)
            and (until_ms is None or run.created_at_ms < until_ms)
        ]
        found.sort(key=lambda r: (r.created_at_ms, r.run_id), reverse=True)
        return [loaded for run in found[:limit] if (loaded := self._load(run.run_id)) is not None]

    async def history(self, run_id: str) -> list[HistoryEntry]:
        return list(self._history.get(run_id, ()))

    # ------------------------------------------------------------ events and pauses

    async def get_event(self, internal_id: str) -> EventRecord | None:
        return self._events.get(internal_id)

    async def list_events(
        self,
        *,
        name: str | None = None,
        since_ms: int | None = None,
        until_ms: int | None = None,
        limit: int = 20,
        before_id: str | None = None,
    ) -> list[EventRecord]:
        found = [
            e
            for e in self._events.values()
            if (name is None or e.name == name)
            and (since_ms is None or e.received_at_ms >= since_ms)
            and (until_ms is None or e.received_at_ms < until_ms)
            and (before_id is None or e.internal_id < before_id)
        ]
        found.sort(key=lambda e: e.internal_id, reverse=True)
        return found[:limit]

    async def pauses_for_event(self, event_name: str) -> list[Pause]:
        return self._pauses.for_event_name(event_name)

    async def pauses_matching(self, events: Sequence[Mapping[str, Json]]) -> list[list[Pause]]:
        return [self._pauses.matching(event) for event in events]

    async def pauses_for_run(self, run_id: str) -> list[Pause]:
        return self._pauses.for_run(run_id)

    async def pause_for_signal(self, signal: str) -> Pause | None:
        return self._pauses.for_signal(signal)

    # ------------------------------------------------------------ registry

    async def upsert_app(self, app: App, functions: Sequence[FunctionDef]) -> bool:
        checksum = registry_checksum(app, functions)
        previous = self._apps.get(app.app_id)
        self._apps[app.app_id] = (app, checksum)
        keep = {f.fn_id for f in functions}
        for fn_id in [k for k, f in self._functions.items() if f.app_id == app.app_id and k not in keep]:
            del self._functions[fn_id]
        for fn in functions:
            self._functions[fn.fn_id] = fn
        return previous is None or previous[1] != checksum

    async def list_apps(self) -> list[App]:
        return [self._apps[k][0] for k in sorted(self._apps)]

    async def list_functions(self) -> list[FunctionDef]:
        return [self._functions[k] for k in sorted(self._functions)]

    async def get_function(self, fn_id: str) -> FunctionDef | None:
        return self._functions.get(fn_id)

    async def delete_app(self, app_id: str) -> None:
        self._apps.pop(app_id, None)
        for fn_id in [k for k, f in self._functions.items() if f.app_id == app_id]:
            del self._functions[fn_id]

    # ------------------------------------------------------------ operator records

    async def put_record(
        self, kind: str, record_id: str, created_at_ms: int, record: Json, commands: Sequence[Command] = ()
    ) -> None:
        reject_emit(commands)
        first = self._records.get((kind, record_id))
        self._records[(kind, record_id)] = (first[0] if first else created_at_ms, record)
        self._commit(commands)

    async def delete_record(self, kind: str, record_id: str, commands: Sequence[Command] = ()) -> bool:
        reject_emit(commands)
        existed = self._records.pop((kind, record_id), None) is not None
        self._commit(commands)
        return existed

    async def get_record(self, kind: str, record_id: str) -> Json:
        found = self._records.get((kind, record_id))
        return found[1] if found is not None else None

    async def list_records(self, kind: str) -> list[Json]:
        mine = sorted(((created, rid), rec) for (k, rid), (created, rec) in self._records.items() if k == kind)
        return [record for _, record in reversed(mine)]

    # ------------------------------------------------------------ queue

    async def lease(self, now_ms: int, limit: int, lease_ms: int) -> list[Lease]:
        return self._queue.lease(now_ms, limit, lease_ms)

    async def extend(self, lease: Lease, now_ms: int, lease_ms: int) -> Lease | None:
        return self._queue.extend(lease, now_ms, lease_ms)

    async def release(self, lease: Lease, due_at_ms: int) -> None:
        if self._queue.release(lease, due_at_ms) is not None:
            self._feed.wake()

    def next_due_ms(self) -> int | None:
        return self._queue.next_due_ms()

    def subscribe(self, wake: Callable[[], None]) -> None:
        self._feed.subscribe(wake)

    async def depth(self) -> int:
        return len(self._queue)

    # ------------------------------------------------------------ maintenance

    async def gauges(self, now_ms: int) -> StoreGauges:
        queue = self._queue
        return StoreGauges(len(queue), queue.oldest_waiting_due_ms(), len(self._pauses), queue.flow_waiting())

    async def claim_reporter(self, owner: str, now_ms: int, ttl_ms: int = 60_000) -> bool:
        return True  # one process owns a memory store

    async def purge_finished(self, before_ms: int, limit: int) -> Purged:
        doomed = [
            run_id
            for run_id, run in self._runs.items()
            if run.status.is_terminal and run.ended_at_ms is not None and run.ended_at_ms < before_ms
        ][:limit]
        for run_id in doomed:
            del self._runs[run_id]
            self._steps.pop(run_id, None)
            self._history.pop(run_id, None)
        referenced = {event_id for run in self._runs.values() for event_id in run.event_ids}
        events = [key for key, e in self._events.items() if e.received_at_ms < before_ms and key not in referenced][
            :limit
        ]
        for key in events:
            del self._events[key]
        return Purged(len(doomed), len(events), more=len(doomed) == limit or len(events) == limit)


class _MemoryFlowView:
    """``FlowView`` over a ``MemoryStore``: plain dict reads (no await happens inside ``transact_flow``)."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    def flow_state(self, key: str) -> FlowEntry | None:
        return self._store._flow.get(key)

    def run(self, run_id: str) -> Run | None:
        return self._store._runs.get(run_id)
