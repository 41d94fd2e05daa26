"""``step.send_event`` / ``step.sendEvent`` sends through ``POST /e/{key}``; the sent event triggers its listeners."""

from __future__ import annotations

from tests.integration.official.harness import Target


async def test_send_event_returns_the_ids_and_the_event_starts_its_listener(target: Target) -> None:
    done = await target.run("send", {"id": "s1"})

    assert done["status"] == "Completed", target.logs()
    [sent_id] = done["output"]["ids"]
    listener = await target.finished((await target.run_of(sent_id))["run_id"])
    assert (listener["function_id"], listener["output"]) == (target.fn("sent-listener"), {"heard": {"id": "s1"}})
