"""``rate_limit`` / ``rateLimit`` registered by the official SDKs: the event over the limit starts no run; it is
listed as a Skipped run with ``skip_reason`` ``RateLimited``."""

from __future__ import annotations

import uuid

from tests.integration.official.harness import Target


async def test_the_second_event_for_a_key_within_the_period_is_skipped(target: Target) -> None:
    key = uuid.uuid4().hex
    first = await target.run_of(await target.send("rate-limited", {"key": key}))
    second = await target.run_of(await target.send("rate-limited", {"key": key}))

    done = await target.finished(first["run_id"])
    assert (done["status"], done["output"]) == ("Completed", key), target.logs()
    assert (second["status"], second["skip_reason"]) == ("Skipped", "RateLimited")
