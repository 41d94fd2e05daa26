"""``concurrency`` registered by the official SDKs: with limit 1 per key, a second run's step waits while the
first executes (``flow.delayed`` in its history, reason concurrency) and both complete."""

from __future__ import annotations

import uuid

from inngest_lab.engine.model import HistoryKind
from tests.integration.official.harness import Target


async def test_the_second_run_of_a_key_waits_for_the_first(target: Target) -> None:
    key = uuid.uuid4().hex
    events = [{"name": target.event("concurrent"), "data": {"key": key, "n": n}} for n in (1, 2)]
    async with target.session.post(f"{target.stack.url}/e/{target.event_key}", json=events) as resp:
        assert resp.status == 200, await resp.text()
        first_id, second_id = (await resp.json())["ids"]
    first = await target.finished((await target.run_of(first_id))["run_id"])
    second = await target.finished((await target.run_of(second_id))["run_id"])

    assert (first["status"], first["output"], second["status"], second["output"]) == (
        "Completed",
        1,
        "Completed",
        2,
    ), target.logs()
    delays = [e for e in target.history(second["run_id"]) if e.kind is HistoryKind.FLOW_DELAYED]
    assert delays, target.history(second["run_id"])
    assert delays[0].data["reason"] == "concurrency"
    assert delays[0].data["key"].endswith(f":{key}")
    assert delays[0].data["waited_ms"] > 0
