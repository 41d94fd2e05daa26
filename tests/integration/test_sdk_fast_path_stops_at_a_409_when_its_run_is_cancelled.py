"""Our SDK's fast path and a stale dispatch: the run is cancelled while a slow step runs; that step's checkpoint is
refused with 409, so the SDK runs no further step and answers its call 400 (not retried)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp

from inngest_lab.engine.model import HistoryKind
from inngest_lab.protocol.consts import RunStatus
from tests.integration.conftest import Cluster, poll, step_lines
from tests.integration.test_sdk_fast_path_runs_quick_steps_in_one_call import app_stats, serve_fast_path_app

SLOW_MS = 1500


async def test_a_cancelled_runs_checkpoint_stops_the_sdk(
    cluster: Cluster, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    steps = tmp_path / "steps.log"
    app, server, rest = await serve_fast_path_app(cluster, http, steps)

    run_id = (await rest.run_of(await rest.send("fast/slow-middle", {"ms": SLOW_MS})))["run_id"]

    async def slow_running() -> bool | None:
        return True if "slow" in step_lines(steps) and HistoryKind.STEP_COMPLETED in server.history(run_id) else None

    await poll(slow_running, "the slow step to start after the first was checkpointed")
    async with http.delete(f"{server.url}/v1/runs/{run_id}") as resp:
        assert resp.status == 200, await resp.text()
    assert (await rest.finished(run_id))["status"] == RunStatus.CANCELLED.value

    async def answered() -> dict[str, Any] | None:
        stats = await app_stats(http, app.url, run_id)
        return stats if stats["answers"] else None

    stats = await poll(answered, "the SDK to answer its call")
    assert stats == {"calls": 1, "answers": [400]}, stats
    assert Counter(step_lines(steps)) == {"first": 1, "slow": 1}, "no step ran after the refused checkpoint"
