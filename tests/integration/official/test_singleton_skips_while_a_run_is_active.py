"""``singleton`` (mode skip) registered by the official SDKs: while a run holds the key, a new event is a Skipped
run that names the active run."""

from __future__ import annotations

import uuid

from tests.integration.official.harness import Target


async def test_an_event_for_a_busy_key_is_skipped_with_the_active_run_id(target: Target) -> None:
    key = uuid.uuid4().hex
    first = await target.run_of(await target.send("singleton", {"key": key, "n": 1}))
    second = await target.run_of(await target.send("singleton", {"key": key, "n": 2}))

    assert (second["status"], second["skip_reason"]) == ("Skipped", "Singleton")
    assert second["output"]["existing_run_id"] == first["run_id"]
    assert (await target.finished(first["run_id"]))["output"] == 1, target.logs()
