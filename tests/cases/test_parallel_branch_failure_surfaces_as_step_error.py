"""In group.parallel, a branch that fails for good raises StepError; its sibling's result is kept and runs once."""

from __future__ import annotations

from collections import Counter

import inngest_lab as inngest
from tests.cases.helpers import current, started_run


async def test_failed_branch_raises_step_error_after_the_sibling_completes(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    calls: Counter[str] = Counter()

    @client.create_function(fn_id="par", trigger=inngest.TriggerEvent(event="app/par"), retries=1)
    async def par(ctx: inngest.Context) -> dict[str, str]:
        def good() -> str:
            calls["good"] += 1
            return "fine"

        def bad() -> str:
            calls["bad"] += 1
            raise ValueError("branch broke")

        try:
            await ctx.group.parallel((lambda: ctx.step.run("good", good), lambda: ctx.step.run("bad", bad)))
        except inngest.StepError as err:
            kept = await ctx.step.run("good", good)  # a new step id occurrence: "good:1"
            return {"error": err.message, "again": str(kept)}
        return {}

    lab.serve(client, [par])
    [event_id] = lab.send({"name": "app/par"})
    run = await started_run(lab, event_id)
    await lab.advance(minutes=2)
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED
    assert done.output == {"error": "branch broke", "again": "fine"}
    assert calls == {"good": 2, "bad": 2}  # bad: two attempts (retries=1); good: the branch and the re-run


async def test_parallel_branches_retry_independently(lab: inngest.Lab, client: inngest.Inngest) -> None:
    calls: Counter[str] = Counter()

    @client.create_function(fn_id="par", trigger=inngest.TriggerEvent(event="app/par"))
    async def par(ctx: inngest.Context) -> tuple[str, ...]:
        def flaky(name: str, failures: int) -> str:
            calls[name] += 1
            if calls[name] <= failures:
                raise ConnectionError(name)
            return name

        return await ctx.group.parallel(
            (lambda: ctx.step.run("a", flaky, "a", 2), lambda: ctx.step.run("b", flaky, "b", 0))
        )

    lab.serve(client, [par])
    [event_id] = lab.send({"name": "app/par"})
    run = await started_run(lab, event_id)
    assert calls == {"a": 1, "b": 1}
    await lab.advance(minutes=5)
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED and done.output == ["a", "b"]
    assert calls == {"a": 3, "b": 1}
