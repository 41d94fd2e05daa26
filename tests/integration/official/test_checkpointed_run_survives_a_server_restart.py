"""A server killed (``kill -9``) in the middle of a checkpointed run: the new server process on the same SQLite
directory calls the run again, the steps checkpointed before the crash are not run again, and every step is
recorded exactly once. The slow step that was running during the crash may run twice (at-least-once), but its
two checkpoints save one memo: the old dispatch's arrives at the new process as stale (409) or not at all."""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from inngest_lab.engine.model import HistoryKind
from inngest_lab.protocol.step_ids import hash_step_id
from tests.integration.conftest import poll
from tests.integration.official.checkpointing import app_stats, completed_steps
from tests.integration.official.harness import Mode, Sdk, Stack, Target

SLOW_MS = 2500
STEPS = ("first", "slow", "after", "last")


@pytest.fixture
async def own_dev_stack(http: aiohttp.ClientSession) -> AsyncIterator[Target]:
    """A dev stack of this test's own: it kills and restarts the server, which the shared stacks must not see."""
    stack = Stack(Mode.DEV, Path(tempfile.mkdtemp(prefix="inngest-lab-ckpt-restart-")))
    stack.launch()
    try:
        await asyncio.to_thread(stack.wait_synced)
        yield Target(Sdk.TS, stack, http)
    finally:
        stack.close()


async def _up(target: Target) -> bool | None:
    with contextlib.suppress(aiohttp.ClientError):
        async with target.session.get(f"{target.stack.url}/health") as resp:
            return True if resp.status == 200 else None
    return None


async def test_a_checkpointed_run_completes_after_the_server_is_killed(own_dev_stack: Target) -> None:
    target = own_dev_stack
    run_id = (await target.run_of(await target.send("slow-middle", {"ms": SLOW_MS})))["run_id"]
    await target.reached(run_id, HistoryKind.STEP_COMPLETED)  # "first" is checkpointed; "slow" is running

    async def slow_started() -> bool | None:
        return True if (await app_stats(target, run_id))["steps"].get("slow") else None

    await poll(slow_started, "the slow step to start")
    server = target.stack.server
    server.kill()
    server.start()  # same port, same SQLite directory
    await poll(lambda: _up(target), "the new server process to listen")

    done = await target.finished(run_id)
    assert done["status"] == "Completed", target.logs()
    assert done["output"] == ["one", "two", "three", "four"]
    assert completed_steps(target, run_id) == {hash_step_id(s, 0): 1 for s in STEPS}
    stats: dict[str, Any] = await app_stats(target, run_id)
    assert stats["steps"]["first"] == stats["steps"]["after"] == stats["steps"]["last"] == 1, stats
    assert stats["steps"]["slow"] in (1, 2), stats
