"""``step.waitForSignal``: a pause keyed by a signal name instead of an event, resumed by ``POST /v1/signals``.

Wire facts (protocol-next §5, Go ``handleGeneratorWaitForSignal`` and ``savePause.lua``):

* the op is ``{"op":"WaitForSignal","id":…,"opts":{"signal":…,"timeout":…,"conflict":"replace"|"fail"}}``;
  an empty timeout means one year, and any conflict value other than ``replace`` means ``fail``;
* one signal name resumes one pause. The signal index maps a name to the pause that holds it:
  ``replace`` takes the name over (the displaced wait stays pending until its own timeout), ``fail``
  fails the new run at once, without retries, when another pause holds the name;
* resuming saves ``{"data":{"signal":name,"data":payload}}``; the timeout saves ``null``.

Signal pauses live in the pause store like every other pause (so they are dropped with their run, time out
through the same queue item and are consumed exactly once), under an event name no event can carry.
"""

from __future__ import annotations

from collections.abc import Mapping

from inngest_lab.engine import ids
from inngest_lab.engine.model import ClaimSignal, Command, HistoryKind, ItemKind, Json, Pause, PauseKind, QueueItem
from inngest_lab.engine.pauses import pause_to_json
from inngest_lab.engine.run_builder import RunBuilder
from inngest_lab.protocol.consts import (
    MAX_SLEEP_MS,
    ONE_YEAR_MS,
    SIGNAL_CONFLICT_MESSAGE,
    ErrorName,
    RunStatus,
    SignalConflict,
)
from inngest_lab.protocol.durations import DurationError, parse_duration_ms

SIGNAL_PAUSE_EVENT = "inngest/signal"
"""The ``event_name`` of every signal pause: reserved (``inngest/``), so no event sent to the API matches it."""


def wait_for_signal(b: RunBuilder, op: Mapping[str, Json], step_id: str, name: Json) -> str | None:
    """Apply a ``WaitForSignal`` op: create the pause, its timeout and its claim on the signal.

    Returns None, or what is wrong with the op (the caller fails the run with it).
    """
    opts = op.get("opts") if isinstance(op.get("opts"), Mapping) else {}
    assert isinstance(opts, Mapping)
    signal = opts.get("signal")
    if not isinstance(signal, str) or not signal:
        return "WaitForSignal needs a non-empty opts.signal"
    timeout = opts.get("timeout")
    try:
        timeout_ms = parse_duration_ms(timeout) if timeout else ONE_YEAR_MS
    except DurationError:
        return f"invalid wait_for_signal timeout {timeout!r}"
    replace = opts.get("conflict") == SignalConflict.REPLACE
    pause = Pause(
        pause_id=ids.pause_id(b.run.run_id, step_id),
        run_id=b.run.run_id,
        fn_id=b.run.fn_id,
        kind=PauseKind.SIGNAL,
        event_name=SIGNAL_PAUSE_EVENT,
        expression=None,
        created_at_ms=b.now_ms,
        expires_at_ms=b.now_ms + min(timeout_ms, MAX_SLEEP_MS),
        step_id=step_id,
        correlation_id=signal,
    )
    b.pause(pause)
    conflict = QueueItem(
        item_id=f"{ids.timeout_item_id(pause.pause_id)}/conflict",
        run_id=pause.run_id,
        fn_id=pause.fn_id,
        kind=ItemKind.SIGNAL_CONFLICT,
        due_at_ms=b.now_ms,
        step_id=step_id,
        pause_id=pause.pause_id,
        payload={"pause": pause_to_json(pause)},
    )
    b.commands.append(ClaimSignal(signal, pause.pause_id, replace, conflict))
    b.history(
        HistoryKind.STEP_WAITING,
        step_id=step_id,
        name=str(name) if name else None,
        data={
            "signal": signal,
            "conflict": SignalConflict.REPLACE.value if replace else SignalConflict.FAIL.value,
            "expires_at_ms": pause.expires_at_ms,
        },
    )
    return None


def signal_event(signal: str, data: Json) -> dict[str, Json]:
    """The payload a signal resumes its pause with (``PauseResumed.event``): its name and data."""
    return {"name": signal, "data": data}


def signal_resume_item(pause: Pause, signal: str, data: Json, now_ms: int) -> QueueItem:
    """The RESUME item that ``ConsumePause`` enqueues when ``signal`` arrives for ``pause``."""
    return QueueItem(
        item_id=ids.resume_item_id(pause.pause_id),
        run_id=pause.run_id,
        fn_id=pause.fn_id,
        kind=ItemKind.RESUME,
        due_at_ms=now_ms,
        step_id=pause.step_id or "",
        pause_id=pause.pause_id,
        payload={"pause": pause_to_json(pause), "event": signal_event(signal, data)},
    )


def signal_conflicted(b: RunBuilder, pause: Pause) -> list[Command]:
    """The signal a ``fail`` wait asked for was held by another run: the run fails now, without retries."""
    error: dict[str, Json] = {"name": ErrorName.SIGNAL_CONFLICT.value, "message": SIGNAL_CONFLICT_MESSAGE}
    b.history(HistoryKind.STEP_FAILED, step_id=pause.step_id, data={"error": error, "signal": pause.correlation_id})
    return b.finish(RunStatus.FAILED, error=error)  # the shell drops the run's pauses and their timeouts
