"""Re-running a notebook cell that redefines and re-serves a function replaces it: new runs use the new code."""

from __future__ import annotations

import inngest_lab as inngest


async def test_the_redefined_function_handles_new_events(lab: inngest.Lab, client: inngest.Inngest) -> None:
    def cell(greeting: str) -> None:  # the body of a notebook cell, run twice with an edit in between
        @client.create_function(fn_id="greet", trigger=inngest.TriggerEvent(event="app/greet"))
        async def greet(ctx: inngest.Context) -> str:
            said: str = await ctx.step.run("say", lambda: f"{greeting}, {ctx.event.data['name']}")
            return said

        lab.serve(client, [greet])

    cell("hello")
    [first] = lab.send({"name": "app/greet", "data": {"name": "Ada"}})
    assert [r.output for r in await lab.wait(first)] == ["hello, Ada"]

    cell("bonjour")
    [second] = lab.send({"name": "app/greet", "data": {"name": "Ada"}})
    assert [r.output for r in await lab.wait(second)] == ["bonjour, Ada"]
    assert lab.functions() == ["app-greet"]
