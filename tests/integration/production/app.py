"""The app the production tests serve to several ``inngest-lab`` processes (our SDK, over Tornado).

Every step body appends one line to ``STEP_LOG`` each time it executes, so a test counts executions across
server kills (the app itself is never killed):

* ``prod-chain`` (``prod/chain``, data ``{n}``): steps ``s1`` … ``s5`` with a short sleep (``NAP_MS``)
  after ``s2``. Step ``sK`` logs and returns ``"<n>:sK"``; the run returns the five results.
* ``prod-limited`` (``prod/limited``, data ``{n, key}``): concurrency 2 per ``event.data.key``; its one step
  ``work`` logs ``start <n> <t>`` and ``end <n> <t>`` (wall clock, seconds) around a ``HOLD_MS`` pause.
"""

from __future__ import annotations

import asyncio
import os
import time
from datetime import timedelta

import inngest_lab as inngest
from tests.integration.apps.common import record, run

client = inngest.Inngest(app_id="prod", is_production=False)
STEPS = ("s1", "s2", "s3", "s4", "s5")


@client.create_function(fn_id="chain", trigger=inngest.TriggerEvent(event="prod/chain"), retries=3)
async def chain(ctx: inngest.Context) -> list[str]:
    n = int(ctx.event.data["n"])
    out = []
    for name in STEPS:
        out.append(await ctx.step.run(name, lambda name=name: record(f"{n}:{name}").removesuffix(" done")))
        if name == "s2":
            await ctx.step.sleep("nap", timedelta(milliseconds=int(os.environ.get("NAP_MS", "300"))))
    return out


async def _work(n: int) -> str:
    record(f"start {n} {time.time():.6f}")
    await asyncio.sleep(int(os.environ.get("HOLD_MS", "200")) / 1000)
    record(f"end {n} {time.time():.6f}")
    return f"{n} worked"


@client.create_function(
    fn_id="limited",
    trigger=inngest.TriggerEvent(event="prod/limited"),
    concurrency=[inngest.Concurrency(limit=2, key="event.data.key")],
    retries=0,
)
async def limited(ctx: inngest.Context) -> str:
    return str(await ctx.step.run("work", _work, int(ctx.event.data["n"])))


if __name__ == "__main__":
    run(client, [chain, limited])
