"""``throttle`` registered by the official SDKs: a second event within the period is not dropped; its run
waits for its slot (``run.throttled`` in its history) and starts one period after the first."""

from __future__ import annotations

import uuid

from inngest_lab.engine.model import HistoryKind
from tests.integration.official.harness import Target


async def test_the_second_run_starts_a_period_after_the_first(target: Target) -> None:
    key = uuid.uuid4().hex
    first = await target.run_of(await target.send("throttled", {"key": key, "n": 1}))
    second = await target.run_of(await target.send("throttled", {"key": key, "n": 2}))

    one, two = await target.finished(first["run_id"]), await target.finished(second["run_id"])
    assert (one["status"], two["status"], two["output"]) == ("Completed", "Completed", 2), target.logs()
    [throttled] = [e for e in target.history(second["run_id"]) if e.kind is HistoryKind.RUN_THROTTLED]
    [scheduled] = [e for e in target.history(first["run_id"]) if e.kind is HistoryKind.RUN_SCHEDULED]
    [started] = [e for e in target.history(second["run_id"]) if e.kind is HistoryKind.RUN_STARTED]
    assert throttled.data["until_ms"] == scheduled.at_ms + 3_000  # one period after the first run's slot
    assert started.at_ms >= throttled.data["until_ms"]
