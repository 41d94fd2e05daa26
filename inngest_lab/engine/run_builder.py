"""The command accumulator one :func:`~inngest_lab.engine.transition.transition` call works with.

:class:`RunBuilder` holds the evolving :class:`Run` and the commands decided so far; its methods keep the
invariants the state machine guarantees (a memoized step is never saved twice, every call item is stamped
with flow-control keys, every pause gets its timeout item).
"""

from __future__ import annotations

import json
from dataclasses import replace

from inngest_lab.engine import ids
from inngest_lab.engine.finalize import finalize
from inngest_lab.engine.flow.stamp import stamp
from inngest_lab.engine.model import (
    AppendHistory,
    Command,
    CreatePause,
    Enqueue,
    FunctionDef,
    HistoryEntry,
    HistoryKind,
    ItemKind,
    Json,
    Pause,
    QueueItem,
    Run,
    SaveRun,
    SaveStep,
)
from inngest_lab.engine.pauses import timeout_item
from inngest_lab.protocol import json_text
from inngest_lab.protocol.consts import ErrorName, RunStatus

DATA_MEMO_OVERHEAD = len('{"data":}')  # json_size({"data": x}) == json_size(x) + this
_SIZE_ENCODER = json.JSONEncoder(separators=(",", ":"), default=str)  # built once, not per call


def json_size(value: Json) -> int:
    """Bytes of ``value`` as compact ASCII JSON (what the run-state limits count).

    orjson when its text is ASCII (ten times faster; a float may print a character longer or shorter, which a
    limit does not notice), else the standard library's escaped text."""
    encoded = json_text.dumps_bytes(value, _SIZE_ENCODER)  # what orjson refuses, _SIZE_ENCODER writes (ASCII)
    return len(encoded) if encoded.isascii() else len(_SIZE_ENCODER.encode(value))


class RunBuilder:
    """Accumulates commands and the evolving run for one transition."""

    def __init__(
        self,
        run: Run,
        item: QueueItem,
        now_ms: int,
        retry_interval_ms: int | None = None,
        fn: FunctionDef | None = None,
    ) -> None:
        self.run = run
        self.item = item
        self.now_ms = now_ms
        self.retry_interval_ms = retry_interval_ms
        self.fn = fn
        self.commands: list[Command] = []
        self.saved = 0

    def history(
        self,
        kind: HistoryKind,
        *,
        step_id: str | None = None,
        name: str | None = None,
        attempt: int = 0,
        data: Json = None,
        at_ms: int | None = None,
    ) -> None:
        entry = HistoryEntry(
            self.run.run_id, self.now_ms if at_ms is None else at_ms, kind, step_id, name, attempt, data
        )
        self.commands.append(AppendHistory(entry))

    def save_step(self, step_id: str, memo: Json, size: int | None = None) -> bool:
        """Save a memo unless the step is already memoized. Returns whether it was saved.

        ``size``: ``json_size(memo)`` when the caller already knows it.
        """
        if step_id in self.run.steps:
            return False
        if size is None:
            size = json_size(memo)
        steps = dict(self.run.steps)
        steps[step_id] = memo
        self.run = replace(
            self.run, steps=steps, stack=(*self.run.stack, step_id), state_bytes=self.run.state_bytes + size
        )
        self.commands.append(SaveStep(self.run.run_id, step_id, memo))
        self.saved += 1
        return True

    def enqueue(self, item: QueueItem) -> None:
        self.commands.append(Enqueue(item))

    def call(self, step_id: str, *, attempt: int = 0, due_at_ms: int | None = None) -> None:
        generation = len(self.run.stack)
        item = QueueItem(
            item_id=ids.call_item_id(self.run.run_id, step_id, generation, attempt),
            run_id=self.run.run_id,
            fn_id=self.run.fn_id,
            kind=ItemKind.CALL,
            due_at_ms=self.now_ms if due_at_ms is None else due_at_ms,
            step_id=step_id,
            attempt=attempt,
            priority_ms=self.item.priority_ms,
            keys=self.item.keys,
        )
        self.enqueue(stamp(item, self.fn, self.run))  # concurrency slots and priority

    def pause(self, pause: Pause) -> None:
        self.commands.append(CreatePause(pause))
        self.enqueue(timeout_item(pause))

    def done(self) -> list[Command]:
        return [SaveRun(self.run), *self.commands]

    def fail(self, name: ErrorName, message: str) -> list[Command]:
        """End the run as failed with a ``{name, message}`` error."""
        return self.finish(RunStatus.FAILED, error={"name": name.value, "message": message})

    def finish(self, status: RunStatus, *, output: Json = None, error: Json = None) -> list[Command]:
        """End the run with ``status``; the commands for it replace everything but the history gathered so far."""
        # Keep the history gathered so far (e.g. the run start and step entries of this response).
        history = [c for c in self.commands if isinstance(c, AppendHistory)]
        return [*history, *finalize(self.run, status, self.now_ms, output=output, error=error)]
