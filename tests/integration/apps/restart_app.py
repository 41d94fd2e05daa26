"""Functions for the crash-restart tests: each step appends its name to ``STEP_LOG`` when it runs.

* ``restart-nap`` (``restart/nap``): ``before`` → sleep ``NAP_MS`` → ``after``.
* ``restart-blocked`` (``restart/blocked``): ``before`` → ``slow`` → ``after``. ``slow`` records ``slow-start``,
  waits until the file ``RELEASE_FILE`` exists, then records ``slow``; so the test can kill the server while
  the step is executing.
* ``restart-waiter`` (``restart/wait``): ``before`` → wait for ``restart/go`` → ``after``; returns the event's data.
"""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import inngest_lab as inngest
from tests.integration.apps.common import record, run

client = inngest.Inngest(app_id="restart", is_production=False)


@client.create_function(fn_id="nap", trigger=inngest.TriggerEvent(event="restart/nap"), retries=0)
async def nap(ctx: inngest.Context) -> dict[str, Any]:
    before = await ctx.step.run("before", record, "before")
    await ctx.step.sleep("nap", timedelta(milliseconds=int(os.environ["NAP_MS"])))
    after = await ctx.step.run("after", record, "after")
    return {"before": before, "after": after}


async def _slow() -> str:
    record("slow-start")
    release = Path(os.environ["RELEASE_FILE"])
    # The signal comes from another process, so no asyncio.Event can carry it; a 10 ms poll of a local file
    # keeps the app's loop free to serve the restarted server's second call meanwhile.
    while not release.exists():  # noqa: ASYNC110, ASYNC240
        await asyncio.sleep(0.01)
    return record("slow")


@client.create_function(fn_id="blocked", trigger=inngest.TriggerEvent(event="restart/blocked"), retries=0)
async def blocked(ctx: inngest.Context) -> list[str]:
    before = await ctx.step.run("before", record, "before")
    slow = await ctx.step.run("slow", _slow)
    after = await ctx.step.run("after", record, "after")
    return [before, slow, after]


@client.create_function(fn_id="waiter", trigger=inngest.TriggerEvent(event="restart/wait"), retries=0)
async def waiter(ctx: inngest.Context) -> dict[str, Any] | None:
    await ctx.step.run("before", record, "before")
    go = await ctx.step.wait_for_event("go", event="restart/go", timeout=timedelta(minutes=1))
    await ctx.step.run("after", record, "after")
    return None if go is None else dict(go.data)


if __name__ == "__main__":
    run(client, [nap, blocked, waiter])
