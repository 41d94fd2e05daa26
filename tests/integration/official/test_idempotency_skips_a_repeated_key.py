"""``idempotency`` registered by the official SDKs: a second event with the same key is a Skipped run."""

from __future__ import annotations

import uuid

from tests.integration.official.harness import Target


async def test_a_repeated_key_is_skipped(target: Target) -> None:
    key = uuid.uuid4().hex
    first = await target.run_of(await target.send("idempotent", {"key": key}))
    second = await target.run_of(await target.send("idempotent", {"key": key}))

    assert (await target.finished(first["run_id"]))["output"] == key, target.logs()
    assert (second["status"], second["skip_reason"]) == ("Skipped", "Idempotency")
