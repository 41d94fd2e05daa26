"""``scope: account`` limits share one budget per key value across every function that uses it."""

from __future__ import annotations

from typing import Any

import inngest_lab as inngest
from tests.cases.flow.gates import Gates


async def test_two_functions_share_one_account_scoped_key(
    lab: inngest.Lab, client: inngest.Inngest, gates: Gates
) -> None:
    shared = [inngest.Concurrency(limit=1, key='"openai"', scope="account")]

    @client.create_function(fn_id="summarize", trigger=inngest.TriggerEvent(event="ai/summarize"), concurrency=shared)
    async def summarize(ctx: inngest.Context) -> Any:
        return await ctx.step.run("call", gates.work, "summarize")

    @client.create_function(fn_id="translate", trigger=inngest.TriggerEvent(event="ai/translate"), concurrency=shared)
    async def translate(ctx: inngest.Context) -> Any:
        return await ctx.step.run("call", gates.work, "translate")

    lab.serve(client, [summarize, translate])
    await lab.send_async([{"name": "ai/summarize", "data": {}}])
    await lab.send_async([{"name": "ai/translate", "data": {}}])
    await gates.quiesce(lab)
    assert gates.executing == ["summarize"]

    gates.open("summarize")
    await gates.quiesce(lab)
    assert gates.executing == ["translate"]
    gates.open("translate")
    await lab.idle()
    assert gates.peak == 1
