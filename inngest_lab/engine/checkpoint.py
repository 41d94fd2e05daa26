"""Async checkpoints (protocol-next doc section 1): steps an SDK finished *inside* a call request, reported early.

A checkpoint is not a second engine: its ``StepRun`` ops go through :func:`~inngest_lab.engine.transition.transition`
exactly like the ops of a 206 answer, as an :class:`SdkResponded` marked ``checkpoint``. The only differences, all
decided in ``step_ops.apply_ops``, follow from the SDK still running: no discovery call is scheduled (the SDK
carries on in the same request) and the leased call item is not acked (its answer is still to come).

Pure: parsing, validation and the decision; the shell (``executor/checkpoint.py``) checks the dispatch and commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from inngest_lab.engine.model import Command, FunctionDef, ItemKind, Json, QueueItem, Run
from inngest_lab.engine.signals import SdkResponded
from inngest_lab.engine.transition import transition
from inngest_lab.protocol.consts import DISCOVERY_STEP_ID, Header, Opcode

SAVED_OPS = frozenset({Opcode.STEP_RUN, Opcode.STEP})
"""Opcodes whose memo a checkpoint saves (Go ``checkpointAsyncSteps``)."""
IGNORED_OPS = frozenset({Opcode.STEP_PLANNED, Opcode.DEFER_ADD, Opcode.DEFER_ABORT})
"""Accepted and not saved: ``StepPlanned`` is tracing only; deferred ops are lazy and change no run state."""


class CheckpointInvalid(ValueError):
    """The checkpoint body is malformed or carries an opcode a checkpoint may not (a 400 naming the problem)."""


@dataclass(frozen=True, slots=True)
class AsyncCheckpoint:
    """A parsed ``POST /v1/checkpoint/{runId}/async`` body.

    ``qi_id`` is the call item the SDK is running (``ctx.qi_id`` of the call request); ``request_id`` echoes the
    call's ``X-Request-ID``, which the server sets to the item's lease id: the dispatch the SDK works for.
    ``steps`` keeps only the ops that change state (``SAVED_OPS``), in the order sent; unknown op keys are ignored.
    """

    run_id: str
    fn_id: str
    qi_id: str
    request_id: str | None
    steps: tuple[Mapping[str, Json], ...]
    started_at_ms: int | None = None


def parse_async_checkpoint(path_run_id: str, body: Json) -> AsyncCheckpoint:
    """Validate a checkpoint body. Raises ``CheckpointInvalid`` with a message naming the bad field."""
    if not isinstance(body, Mapping):
        raise CheckpointInvalid("the body must be a JSON object")
    run_id = body.get("run_id", path_run_id)
    if run_id != path_run_id:
        raise CheckpointInvalid(f"run_id {run_id!r} does not match the path's run id {path_run_id!r}")
    qi_id = body.get("qi_id")
    if not isinstance(qi_id, str) or not qi_id:
        raise CheckpointInvalid("qi_id must be a non-empty string (the call request's ctx.qi_id)")
    request_id = body.get("request_id")
    if request_id is not None and not isinstance(request_id, str):
        raise CheckpointInvalid("request_id must be a string")
    raw_steps = body.get("steps")
    if not isinstance(raw_steps, list):
        raise CheckpointInvalid("steps must be an array of ops")
    steps: list[Mapping[str, Json]] = []
    for i, op in enumerate(raw_steps):
        if not isinstance(op, Mapping):
            raise CheckpointInvalid(f"steps[{i}] must be an object")
        code = op.get("op")
        if code in SAVED_OPS:
            if not isinstance(op.get("id"), str) or not op["id"]:
                raise CheckpointInvalid(f"steps[{i}].id must be a non-empty string")
            steps.append(op)
        elif code not in IGNORED_OPS:
            raise CheckpointInvalid(f"steps[{i}].op {code!r} cannot be checkpointed (only step results can)")
    started = body.get("request_started_at")
    return AsyncCheckpoint(
        run_id=path_run_id,
        fn_id=str(body.get("fn_id") or ""),
        qi_id=qi_id,
        request_id=request_id or None,
        steps=tuple(steps),
        started_at_ms=started if isinstance(started, int) and not isinstance(started, bool) else None,
    )


def dispatched_item(run: Run, qi_id: str) -> QueueItem:
    """The call item ``qi_id`` of ``run`` as the engine enqueued it (``ids.call_item_id``: run/c/step/gen/attempt).

    Rebuilt from the id rather than read from the queue: the item may be leased by another process, and the
    transition only needs its step, attempt and id. An id of another shape is read as a discovery call.
    """
    step_id, attempt = DISCOVERY_STEP_ID, 0
    parts = qi_id.split("/")
    if len(parts) >= 5 and parts[0] == run.run_id and parts[1] == "c" and parts[-1].isdigit():
        step_id, attempt = "/".join(parts[2:-2]), int(parts[-1])
    return QueueItem(
        item_id=qi_id,
        run_id=run.run_id,
        fn_id=run.fn_id,
        kind=ItemKind.CALL,
        due_at_ms=0,
        step_id=step_id,
        attempt=attempt,
    )


def checkpoint_commands(
    run: Run | None, cp: AsyncCheckpoint, fn: FunctionDef | None, now_ms: int, sdk: str
) -> Sequence[Command]:
    """What saving ``cp`` does to ``run``: the same transition as a 206 carrying these ops, minus the next call.

    A step already memoized is not saved again (first write wins), so a checkpoint repeated by an SDK retry, or
    sent by a stale dispatch after a newer one saved the step, changes nothing. A terminal run changes no more.
    """
    if run is None or not cp.steps:
        return []
    first, last = _timing(cp.steps[0]), _timing(cp.steps[-1])
    signal = SdkResponded(
        status=206,
        headers={Header.SDK.value.lower(): sdk},
        body=list(cp.steps),
        started_at_ms=first[0] if first else cp.started_at_ms or now_ms,
        ended_at_ms=last[1] if last else now_ms,
        checkpoint=True,
    )
    return transition(run, dispatched_item(run, cp.qi_id), signal, fn, now_ms, 0.0)


def _timing(op: Mapping[str, Json]) -> tuple[int, int] | None:
    """``(started_ms, ended_ms)`` of a step from the op's ``timing`` (TS: ``{a: start ns, b: duration ns}``), so
    the timeline shows when each step ran rather than when its checkpoint arrived."""
    timing = op.get("timing")
    if not isinstance(timing, Mapping):
        return None
    a, b = timing.get("a"), timing.get("b")
    if not isinstance(a, int | float) or not isinstance(b, int | float) or isinstance(a, bool) or a <= 0:
        return None
    return int(a // 1_000_000), int((a + b) // 1_000_000)
