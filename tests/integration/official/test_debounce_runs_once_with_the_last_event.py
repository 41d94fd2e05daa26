"""``debounce`` registered by the official SDKs: a burst of events for a key starts one run, after the quiet
period, with the last event; the earlier events start nothing."""

from __future__ import annotations

import uuid

from tests.integration.official.harness import Target


async def test_a_burst_starts_one_run_with_the_last_event(target: Target) -> None:
    key = uuid.uuid4().hex
    sent = [await target.send("debounced", {"key": key, "n": n}) for n in (1, 2, 3)]

    done = await target.finished((await target.run_of(sent[-1]))["run_id"])
    assert (done["status"], done["output"]) == ("Completed", 3), target.logs()
    for event_id in sent[:-1]:
        assert await target.data(f"/v1/events/{event_id}/runs") == []
