"""Operator actions as pure decisions: pausing a function, rerunning a run (optionally from a step), replaying an event.

Pausing (Inngest's "function pausing"): while a function is paused, an event that would start it creates no run;
the run is recorded as Skipped with reason ``FunctionPaused`` (``engine/flow/skip.py``), and its crons do not fire.
Runs already in flight carry on (Inngest holds them; here the pause can cancel them instead, ``cancel_running``).
A ``step.invoke`` of a paused function fails at once (``FunctionSkippedError``, see ``engine/flow/skip.py``).

Rerun: a new run of the same function with the same events, linked by ``original_run_id`` (the first run of a chain
of reruns, as Inngest keeps it). Rerun *from a step*: the new run starts with the memoized steps that completed
before that step in the original run; that step and everything after run again. With an edited ``input`` the step
runs with those arguments: the call request carries ``{"input": [...]}`` for the step until it completes, which is
how Inngest hands a step its replacement input.

Replay: a stored event's name, data and user sent again as a new event (new id, ``ts`` now); the runs it starts
record the event they replay.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from inngest_lab.engine.flow.skip import skip_run
from inngest_lab.engine.ingest import RunPlan, create_run
from inngest_lab.engine.model import (
    AppendHistory,
    Command,
    EventRecord,
    FunctionDef,
    HistoryEntry,
    HistoryKind,
    Json,
    Run,
    SaveRun,
    SaveStep,
)
from inngest_lab.protocol.consts import RESERVED_EVENT_PREFIX, SkipReason
from inngest_lab.protocol.step_ids import hash_step_id

PAUSE_KIND = "function_pause"
"""``OpsRecords`` kind of a paused function (record id = the function's composite id)."""


class OperationError(ValueError):
    """An operator request that cannot be carried out; the message says why (HTTP 400)."""


class NotFoundError(LookupError):
    """The run, event, function or cancellation an operation names does not exist (HTTP 404)."""


# ---------------------------------------------------------------- pausing


def pause_record(fn_id: str, now_ms: int) -> dict[str, Json]:
    return {"function_id": fn_id, "paused_at_ms": now_ms}


def skip_paused(
    plans: Sequence[RunPlan], paused: Mapping[str, int], now_ms: int, new_run_id: Callable[[], str]
) -> tuple[list[RunPlan], list[Command]]:
    """Split ``plans`` into the runs to start and Skipped records for the functions that are paused."""
    if not paused:
        return list(plans), []
    keep: list[RunPlan] = []
    skipped: list[Command] = []
    for plan in plans:
        if plan.fn.fn_id in paused:
            detail = {"paused_at_ms": paused[plan.fn.fn_id]}
            skipped.extend(skip_run(plan, now_ms, new_run_id(), SkipReason.FUNCTION_PAUSED, detail))
        else:
            keep.append(plan)
    return keep, skipped


# ---------------------------------------------------------------- rerun


@dataclass(frozen=True, slots=True)
class FromStep:
    """Rerun from this step: ``step_id`` is the user's step id (``"charge"``, ``"charge:1"`` for a repeat) or its
    hashed id; ``input`` (a JSON array of arguments) replaces the step's input when given."""

    step_id: str
    input: list[Json] | None = None


def resolve_step(original: Run, step_id: str) -> str:
    """The hashed id of ``step_id`` in ``original``'s completed steps. Raises :class:`OperationError`."""
    # the n-th repeat of "id" hashes "id:n", so hashing the user's spelling covers repeats too
    for candidate in (step_id, hash_step_id(step_id)):
        if candidate in original.stack:
            return candidate
    raise OperationError(f"step {step_id!r} is not a completed step of run {original.run_id}")


def rerun(original: Run, fn: FunctionDef, now_ms: int, run_id: str, from_step: FromStep | None = None) -> list[Command]:
    """Commands creating the rerun of ``original`` (module docstring). Raises :class:`OperationError`."""
    events = tuple(EventRecord(i, e, now_ms) for i, e in zip(original.event_ids, original.events, strict=True))
    root = original.original_run_id or original.run_id
    commands = create_run(RunPlan(fn, events), now_ms, run_id, original_run_id=root)
    kept: list[str] = []
    inputs: dict[str, Json] = {}
    if from_step is not None:
        target = resolve_step(original, from_step.step_id)
        kept = list(original.stack[: original.stack.index(target)])
        if from_step.input is not None:
            if not isinstance(from_step.input, list):
                raise OperationError("a step's input must be a JSON array of its arguments")
            inputs[target] = from_step.input
    link: dict[str, Json] = {"original_run_id": root, "rerun_of": original.run_id}
    if from_step is not None:
        link["from_step"] = from_step.step_id
    out: list[Command] = []
    for command in commands:
        if isinstance(command, SaveRun) and inputs:
            command = SaveRun(replace(command.run, step_inputs=inputs))
        if isinstance(command, AppendHistory) and command.entry.kind is HistoryKind.RUN_SCHEDULED:
            command = AppendHistory(replace(command.entry, data={**(command.entry.data or {}), **link}))
        out.append(command)
        if isinstance(command, SaveRun):
            out.extend(SaveStep(run_id, step, original.steps[step]) for step in kept)
    out.append(
        AppendHistory(
            HistoryEntry(original.run_id, now_ms, HistoryKind.RUN_RERUN, data={"rerun_run_id": run_id, **link})
        )
    )
    return out


# ---------------------------------------------------------------- replay


def replay_payload(event: EventRecord, new_id: str, now_ms: int) -> dict[str, Json]:
    """The wire event that replays ``event``: same name, data, user and version; new id and time.

    Raises :class:`OperationError` for the server's own ``inngest/`` events (a replayed ``function.finished``
    could resume an invoker twice), which nobody may send, as the Event API refuses them too.
    """
    if event.name.lower().startswith(RESERVED_EVENT_PREFIX):
        raise OperationError(f"event {event.internal_id} is an internal {event.name} event; it cannot be replayed")
    payload: dict[str, Json] = {
        "name": event.name,
        "data": event.payload.get("data") or {},
        "user": event.payload.get("user") or {},
        "id": new_id,
        "ts": now_ms,
    }
    if event.payload.get("v"):
        payload["v"] = event.payload["v"]
    return payload


def mark_replay(commands: Sequence[Command], original_event_id: str) -> list[Command]:
    """Record on every run ``commands`` schedule that its event replays ``original_event_id``."""
    return annotate_scheduled(commands, {"replay_of": original_event_id})


def annotate_scheduled(commands: Sequence[Command], extra: Mapping[str, Json]) -> list[Command]:
    """``commands`` with ``extra`` merged into the data of each run's first history entry (scheduled or skipped),
    so the run's timeline says where it came from (a replay, a cron tick)."""
    out: list[Command] = []
    for command in commands:
        if isinstance(command, AppendHistory) and command.entry.kind in (
            HistoryKind.RUN_SCHEDULED,
            HistoryKind.RUN_SKIPPED,
        ):
            command = AppendHistory(replace(command.entry, data={**(command.entry.data or {}), **extra}))
        out.append(command)
    return out
