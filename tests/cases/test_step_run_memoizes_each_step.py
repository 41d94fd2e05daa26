"""step.run results are memoized: every step body runs exactly once, and the output is the return value."""

from __future__ import annotations

import inngest_lab as inngest


async def test_step_run_executes_each_step_once_and_completes(lab: inngest.Lab, client: inngest.Inngest) -> None:
    calls: list[str] = []

    @client.create_function(fn_id="main", trigger=inngest.TriggerEvent(event="app/go"))
    async def main(ctx: inngest.Context) -> str:
        async def step(name: str) -> str:
            calls.append(name)
            return name.upper()

        a = await ctx.step.run("a", step, "a")
        a2 = await ctx.step.run("a", step, "a2")
        b = await ctx.step.run("b", step, "b")
        return f"{a}{a2}{b}"

    lab.serve(client, [main])
    [event_id] = lab.send({"name": "app/go", "data": {"id": "x1"}})
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.COMPLETED
    assert run.output == "AA2B"
    assert calls == ["a", "a2", "b"]
    assert len(run.stack) == 3


async def test_sync_function_runs_in_a_worker_thread(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="sync", trigger=inngest.TriggerEvent(event="app/sync"))
    def sync_fn(ctx: inngest.ContextSync) -> int:
        return ctx.step.run("one", lambda: 1) + ctx.step.run("two", lambda: 2)

    lab.serve(client, [sync_fn])
    [event_id] = lab.send({"name": "app/sync"})
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.COMPLETED and run.output == 3
