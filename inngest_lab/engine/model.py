"""Domain records shared by the engine, the executor and the stores.

All records are frozen dataclasses with slots. Payloads that are JSON by nature (event data,
step outputs) are typed ``Json``; they are validated at the edge before they get here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from inngest_lab.protocol.consts import RunStatus

Json = Any
"""A JSON-compatible value (dict/list/str/int/float/bool/None), already validated at the edge."""


# ---------------------------------------------------------------- functions


@dataclass(frozen=True, slots=True)
class Trigger:
    """One trigger: an event name (exact or ``prefix*`` wildcard) with an optional CEL expression, or a cron."""

    event: str | None = None
    expression: str | None = None
    cron: str | None = None
    jitter_ms: int | None = None


@dataclass(frozen=True, slots=True)
class CancelSpec:
    event: str
    if_exp: str | None = None
    timeout_ms: int | None = None


@dataclass(frozen=True, slots=True)
class FunctionDef:
    """A registered function, parsed from the registration JSON (see ``engine.registration``).

    ``config`` keeps the raw registration entry so flow-control options survive round trips.
    """

    fn_id: str  # composite slug "<app_id>-<fn_id>"
    app_id: str
    name: str
    url: str  # runtime URL; "inproc://<app_id>" for in-process functions
    triggers: tuple[Trigger, ...]
    retries: int = 4
    cancel: tuple[CancelSpec, ...] = ()
    config: Mapping[str, Json] = field(default_factory=dict)
    version: int = 1

    @property
    def max_attempts(self) -> int:
        return self.retries + 1


@dataclass(frozen=True, slots=True)
class App:
    app_id: str
    url: str
    sdk: str = ""
    framework: str = ""
    checksum: str = ""
    error: str | None = None
    synced_at_ms: int = 0


# ---------------------------------------------------------------- events


@dataclass(frozen=True, slots=True)
class EventRecord:
    """A received event. ``payload`` is the wire event ``{id, name, data, ts, user, v?}``."""

    internal_id: str
    payload: Mapping[str, Json]
    received_at_ms: int

    @property
    def name(self) -> str:
        return str(self.payload["name"])


# ---------------------------------------------------------------- runs


@dataclass(frozen=True, slots=True)
class Run:
    """Run metadata plus its memoized steps.

    ``steps`` maps hashed step id -> memo (``{"data":…}``, ``{"error":…}``, an event, or None);
    ``stack`` lists hashed ids in save order. ``pending`` holds planned parallel steps in flight.
    """

    run_id: str
    fn_id: str
    app_id: str
    status: RunStatus
    events: tuple[Mapping[str, Json], ...]
    event_ids: tuple[str, ...]  # internal ids of the triggering events
    created_at_ms: int
    max_attempts: int
    steps: Mapping[str, Json] = field(default_factory=dict)
    stack: tuple[str, ...] = ()
    started_at_ms: int | None = None
    ended_at_ms: int | None = None
    force_plan: bool = False
    version: int = -1
    pending: frozenset[str] = frozenset()
    output: Json = None
    error: Json = None
    correlation_id: str | None = None  # set when started by step.invoke
    state_bytes: int = 0
    cron: str | None = None
    original_run_id: str | None = None  # set on reruns
    skip_reason: str | None = None  # a SkipReason value, set on Skipped runs (engine.flow.skip)
    step_inputs: Mapping[str, Json] = field(default_factory=dict)  # hashed id -> replacement input (rerun from step)

    @property
    def event(self) -> Mapping[str, Json]:
        return self.events[0]


# ---------------------------------------------------------------- queue


class ItemKind(StrEnum):
    """Queue item kinds. Persisted; never reuse a value."""

    CALL = "call"  # call the SDK: step_id "step" = discovery, else a planned step
    SLEEP = "sleep"  # a step.sleep woke up
    RESUME = "resume"  # a pause matched an event (payload carries the event)
    PAUSE_TIMEOUT = "pause-timeout"  # a wait_for_event / invoke / cancel_on pause expired
    CANCEL = "cancel"  # cancel the run (API, cancel_on, timeouts)
    EMIT = "emit"  # outbox: ingest an internal event (function.finished, invoked, …) durably
    DEBOUNCE = "debounce"  # a debounce period ended: start the run with the last event (engine.flow)
    BATCH = "batch"  # a batch's timeout elapsed: start the run with the buffered events (engine.flow)
    TIMEOUT = "timeout"  # a run's start/finish timeout is due: cancel it if still over (engine.flow)
    CRON = "cron"  # a cron trigger's next tick (engine/schedule.py); fires the function once per tick
    BULK_CANCEL = "bulk-cancel"  # one batch of a bulk cancellation (engine/bulk_cancel.py)
    GATEWAY = "gateway"  # the server makes an AIGateway / Gateway op's HTTP call (engine/gateway.py)
    SIGNAL_CONFLICT = "signal-conflict"  # a WaitForSignal "fail" found its signal taken: fail the run


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One unit of work for one run, due at ``due_at_ms``.

    ``item_id`` is deterministic where the work is, so enqueueing twice is a no-op.
    ``keys`` carries flow-control keys (concurrency, throttle); ``priority_ms`` moves the item
    ahead of work queued up to that many ms earlier.
    """

    item_id: str
    run_id: str
    fn_id: str
    kind: ItemKind
    due_at_ms: int
    step_id: str = "step"
    attempt: int = 0
    pause_id: str | None = None
    payload: Json = None
    priority_ms: int = 0
    keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Lease:
    """``delayed``: why flow control held the item past its due time (for the run's history), else None."""

    item: QueueItem
    lease_id: str
    expires_at_ms: int
    delayed: Json = None


# ---------------------------------------------------------------- pauses


class PauseKind(StrEnum):
    WAIT = "wait"
    INVOKE = "invoke"
    CANCEL = "cancel"
    SIGNAL = "signal"  # step.waitForSignal: ``correlation_id`` holds the signal name (engine/signal_wait.py)


@dataclass(frozen=True, slots=True)
class Pause:
    """A run waiting for an event. ``expression`` has ``event.*`` already interpolated; it reads ``async``."""

    pause_id: str
    run_id: str
    fn_id: str
    kind: PauseKind
    event_name: str
    expression: str | None
    created_at_ms: int
    expires_at_ms: int
    step_id: str | None = None
    correlation_id: str | None = None


# ---------------------------------------------------------------- history


class HistoryKind(StrEnum):
    """Timeline entries. Persisted; never reuse a value."""

    RUN_SCHEDULED = "run.scheduled"
    RUN_STARTED = "run.started"
    RUN_COMPLETED = "run.completed"
    RUN_FAILED = "run.failed"
    RUN_CANCELLED = "run.cancelled"
    RUN_SKIPPED = "run.skipped"
    RUN_RERUN = "run.rerun"  # on the original run: a rerun of it was started (engine/operations.py)
    STEP_STARTED = "step.started"
    STEP_COMPLETED = "step.completed"
    STEP_ERRORED = "step.errored"  # an attempt failed, a retry is scheduled
    STEP_FAILED = "step.failed"  # attempts exhausted
    STEP_PLANNED = "step.planned"
    STEP_SLEEPING = "step.sleeping"
    STEP_WAITING = "step.waiting"
    STEP_INVOKING = "step.invoking"
    STEP_RESUMED = "step.resumed"
    STEP_TIMED_OUT = "step.timed_out"
    CALL_FAILED = "call.failed"  # the SDK call itself failed (transport, 5xx)
    FUNCTION_ERRORED = "function.errored"  # function-level error, retried
    FLOW_DELAYED = "flow.delayed"  # flow control held a step past its due time (data.reason: concurrency, …)
    RUN_THROTTLED = "run.throttled"  # the run waits for its throttle slot (data: until_ms, key)
    RUN_DEBOUNCED = "run.debounced"  # the run starts from the last of several debounced events
    RUN_BATCHED = "run.batched"  # the run starts from a batch of events (data: size, trigger)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    run_id: str
    at_ms: int
    kind: HistoryKind
    step_id: str | None = None
    name: str | None = None
    attempt: int = 0
    data: Json = None


# ---------------------------------------------------------------- commands (engine -> store)


@dataclass(frozen=True, slots=True)
class SaveRun:
    """Insert or update run metadata (steps are saved by SaveStep)."""

    run: Run


@dataclass(frozen=True, slots=True)
class SaveStep:
    run_id: str
    step_id: str
    memo: Json


@dataclass(frozen=True, slots=True)
class Enqueue:
    item: QueueItem


@dataclass(frozen=True, slots=True)
class Dequeue:
    """Remove a pending item if it is still there (e.g. a pause timeout after the pause matched)."""

    item_id: str


@dataclass(frozen=True, slots=True)
class Ack:
    """The leased item is done: delete it.

    With ``lease_id``, only while that lease is still the item's current one: a shared store refuses the
    whole batch otherwise (``LeaseLost``), so a worker whose lease expired never records its result over
    the new holder's. Single-process stores have no other holder and ignore it.
    """

    item_id: str
    lease_id: str | None = None


@dataclass(frozen=True, slots=True)
class CreatePause:
    pause: Pause


@dataclass(frozen=True, slots=True)
class DeletePause:
    pause_id: str


@dataclass(frozen=True, slots=True)
class ConsumePause:
    """Delete the pause and, only if it still existed, enqueue ``then``. Exactly-once resumption."""

    pause_id: str
    then: QueueItem


@dataclass(frozen=True, slots=True)
class ClaimSignal:
    """Make ``pause_id`` the pause that ``signal`` resumes (the signal index; ``PauseQuery.pause_for_signal``).

    Atomically: when another pending pause holds ``signal`` and ``replace`` is False, the index is left as it
    is and ``on_conflict`` is enqueued instead; otherwise ``pause_id`` takes the signal (a displaced pause stays
    pending until its own timeout). Deleting or consuming a pause drops its index entry if it still holds one.
    """

    signal: str
    pause_id: str
    replace: bool
    on_conflict: QueueItem


@dataclass(frozen=True, slots=True)
class StoreEvent:
    event: EventRecord


@dataclass(frozen=True, slots=True)
class EmitEvent:
    """An internal event the server publishes (function.finished, invoked, …); the shell ingests it."""

    payload: Mapping[str, Json]


@dataclass(frozen=True, slots=True)
class AppendHistory:
    entry: HistoryEntry


@dataclass(frozen=True, slots=True)
class FlowEntry:
    """Persisted flow-control state under ``key`` (a GCRA time, a rate-limit window, a batch buffer, …).

    An entry past ``expires_at_ms`` is as good as absent (stores may purge it lazily).
    """

    key: str
    value: Json
    expires_at_ms: int | None = None

    def live(self, now_ms: int) -> bool:
        return self.expires_at_ms is None or self.expires_at_ms > now_ms


@dataclass(frozen=True, slots=True)
class PutFlowState:
    """Insert or replace the flow-control entry ``entry.key``."""

    entry: FlowEntry


@dataclass(frozen=True, slots=True)
class DeleteFlowState:
    key: str


@dataclass(frozen=True, slots=True)
class PurgeFlowState:
    """Delete every flow-control entry that expired at or before ``now_ms`` (housekeeping)."""

    now_ms: int


Command = (
    SaveRun
    | SaveStep
    | Enqueue
    | Dequeue
    | Ack
    | CreatePause
    | DeletePause
    | ConsumePause
    | ClaimSignal
    | StoreEvent
    | EmitEvent
    | AppendHistory
    | PutFlowState
    | DeleteFlowState
    | PurgeFlowState
)
