"""A planned step delivered twice (its lease expired while it ran) is not called again once it is memoized.

Calling it again made the SDK replay past its target and answer 200, completing the run while a sibling
parallel branch was still sleeping.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import inngest_lab as inngest
from inngest_lab.executor.clock import FakeClock
from tests.cases.helpers import current, started_run


async def test_a_step_outliving_its_lease_does_not_cut_a_sibling_sleep_short(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    clock = lab.clock
    assert isinstance(clock, FakeClock)
    start = clock.now_ms()
    calls: Counter[str] = Counter()

    @client.create_function(fn_id="mix", trigger=inngest.TriggerEvent(event="app/mix"))
    async def mix(ctx: inngest.Context) -> int:
        def slow_work() -> None:
            calls["work"] += 1
            clock.advance(lab.engine.lease_ms + 60_000)  # the call outlives its lease

        await ctx.group.parallel(
            (lambda: ctx.step.sleep("nap", timedelta(minutes=5)), lambda: ctx.step.run("work", slow_work))
        )
        return clock.now_ms() - start

    lab.serve(client, [mix])
    [event_id] = lab.send({"name": "app/mix"})
    run = await started_run(lab, event_id)
    assert (await current(lab, run.run_id)).status is inngest.RunStatus.RUNNING

    await lab.advance(minutes=5)
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED
    assert done.output == 5 * 60_000  # resumed by the sleep, which counts from when it began
    assert calls["work"] == 1
