"""A run whose state outgrows the inline request limit (4 MiB) is sent with ``use_api``: the SDK fetches the events
from ``GET /v0/runs/{id}/batch`` and the memoized steps from ``/actions`` (with its Bearer key in start mode)."""

from __future__ import annotations

from tests.integration.official.harness import Target


async def test_the_sdk_fetches_state_over_the_inline_limit_from_the_api(target: Target) -> None:
    done = await target.run("big-steps", {"sizes": [3_000_000, 2_000_000]})

    assert done["status"] == "Completed", target.logs()
    assert done["output"] == [3_000_000, 2_000_000], "both memos came back whole"
    log = target.stack.server.log.read_text()
    assert f"200 GET /v0/runs/{done['run_id']}/actions" in log
    assert f"200 GET /v0/runs/{done['run_id']}/batch" in log
