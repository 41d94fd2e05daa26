"""step.sleep_until parks the run until an absolute time on the engine clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import inngest_lab as inngest
from tests.cases.helpers import current, started_run


async def test_sleep_until_resumes_once_the_clock_reaches_the_time(lab: inngest.Lab, client: inngest.Inngest) -> None:
    wake_at = datetime.fromtimestamp(lab.clock.now_ms() / 1000, UTC) + timedelta(days=2)

    @client.create_function(fn_id="alarm", trigger=inngest.TriggerEvent(event="app/alarm"))
    async def alarm(ctx: inngest.Context) -> int:
        await ctx.step.sleep_until("until", wake_at)
        return lab.clock.now_ms()

    lab.serve(client, [alarm])
    [event_id] = lab.send({"name": "app/alarm"})
    run = await started_run(lab, event_id)

    await lab.advance(hours=47, minutes=59)
    assert (await current(lab, run.run_id)).status is inngest.RunStatus.RUNNING

    await lab.advance(minutes=1)
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED
    assert done.output == int(wake_at.timestamp() * 1000)


async def test_sleep_until_a_past_time_does_not_wait(lab: inngest.Lab, client: inngest.Inngest) -> None:
    past = datetime.fromtimestamp(lab.clock.now_ms() / 1000, UTC) - timedelta(hours=1)

    @client.create_function(fn_id="late", trigger=inngest.TriggerEvent(event="app/late"))
    async def late(ctx: inngest.Context) -> str:
        await ctx.step.sleep_until("past", past)
        return "on time"

    lab.serve(client, [late])
    [event_id] = lab.send({"name": "app/late"})
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.COMPLETED and run.output == "on time"
