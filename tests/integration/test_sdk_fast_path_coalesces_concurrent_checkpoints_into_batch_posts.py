"""Our SDK's fast path over HTTP with 50 runs of ten quick steps in flight: each step's checkpoint is awaited (the
default), yet the process's sender coalesces them into ``POST /v1/checkpoint/batch`` requests, far fewer than
the 500 checkpoints; every run completes, and each step ran once and is recorded once."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp

from inngest_lab.protocol.consts import RunStatus
from tests.integration.conftest import Cluster, step_lines
from tests.integration.test_sdk_fast_path_runs_quick_steps_in_one_call import completed_steps, serve_fast_path_app

RUNS = 50


async def senders(http: aiohttp.ClientSession, app_url: str) -> dict[str, Any]:
    async with http.get(app_url.replace("/api/inngest", "/senders")) as resp:
        body: dict[str, Any] = await resp.json()
        return body


async def test_fifty_concurrent_runs_share_few_checkpoint_posts(
    cluster: Cluster, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    steps = tmp_path / "steps.log"
    app, server, rest = await serve_fast_path_app(cluster, http, steps)

    payload = [{"name": "fast/quick", "data": {"i": i}} for i in range(RUNS)]
    async with http.post(server.url + "/e/test-key", json=payload) as resp:
        assert resp.status == 200
        event_ids = (await resp.json())["ids"]
    runs = await asyncio.gather(*(rest.run_of(e) for e in event_ids))
    done = await asyncio.gather(*(rest.finished(r["run_id"]) for r in runs))

    assert [r["status"] for r in done] == [RunStatus.COMPLETED.value] * RUNS, cluster.logs()
    assert {r["output"] for r in done} == {45}
    sent = await senders(http, app.url)
    assert sent["batched"] and sent["checkpoints"] == RUNS * 10, sent
    assert sent["posts"] < RUNS * 10 / 2, sent  # coalesced: at least two checkpoints per POST on average
    for run in done:
        recorded = completed_steps(server, run["run_id"])
        assert len(recorded) == 10 and set(recorded.values()) == {1}, recorded
    assert Counter(step_lines(steps)) == {f"s{i}": RUNS for i in range(10)}  # each step ran once per run
