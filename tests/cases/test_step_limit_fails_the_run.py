"""A run may save at most 1,000 steps; the step after that fails the run with InngestErrStepLimit."""

from __future__ import annotations

from collections.abc import Callable

import inngest_lab as inngest
from inngest_lab.protocol.consts import MAX_STEPS_PER_RUN


async def test_run_exceeding_the_step_limit_fails(lab: inngest.Lab, client: inngest.Inngest) -> None:
    # Sync steps in one parallel group keep this fast: one request plans them all.
    @client.create_function(fn_id="many", trigger=inngest.TriggerEvent(event="app/many"))
    def many(ctx: inngest.ContextSync) -> int:
        def branch(i: int) -> Callable[[], int]:
            return lambda: ctx.step.run(f"s{i}", lambda: i)

        ctx.group.parallel(tuple(branch(i) for i in range(MAX_STEPS_PER_RUN + 1)))
        return 0

    lab.serve(client, [many])
    [event_id] = lab.send({"name": "app/many"})
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.FAILED
    assert run.error["name"] == "InngestErrStepLimit"
    assert len(run.stack) <= MAX_STEPS_PER_RUN


async def test_the_step_after_the_thousandth_fails_the_run(lab: inngest.Lab, client: inngest.Inngest) -> None:
    ran: list[int] = []

    @client.create_function(fn_id="loop", trigger=inngest.TriggerEvent(event="app/loop"))
    async def loop(ctx: inngest.Context) -> int:
        total = 0
        for i in range(MAX_STEPS_PER_RUN + 1):
            total += await ctx.step.run("step", ran.append, i) or 0
        return total

    lab.serve(client, [loop])
    [event_id] = lab.send({"name": "app/loop"})
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.FAILED
    assert run.error["name"] == "InngestErrStepLimit"
    assert len(run.stack) == MAX_STEPS_PER_RUN  # the 1,001st output was refused, not saved
    assert ran[:MAX_STEPS_PER_RUN] == list(range(MAX_STEPS_PER_RUN))
