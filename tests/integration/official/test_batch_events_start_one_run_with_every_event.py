"""``batch_events`` / ``batchEvents`` registered by the official SDKs: a full batch starts one run whose
``events`` are every batched event, in order."""

from __future__ import annotations

import uuid

from tests.integration.official.harness import Target


async def test_two_events_for_a_key_start_one_run_with_both(target: Target) -> None:
    key = uuid.uuid4().hex
    first = await target.send("batched", {"key": key, "n": 1})
    second = await target.send("batched", {"key": key, "n": 2})

    run = await target.run_of(first)
    assert (await target.run_of(second))["run_id"] == run["run_id"]
    done = await target.finished(run["run_id"])
    assert (done["status"], done["output"]) == ("Completed", [1, 2]), target.logs()
