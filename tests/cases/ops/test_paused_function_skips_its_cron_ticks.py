"""While a function is paused its cron ticks pass without a run; after resuming it fires from the next tick."""

from __future__ import annotations

import inngest_lab as inngest


async def test_cron_ticks_while_paused_start_no_run(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="hourly", trigger=inngest.TriggerCron(cron="0 * * * *"))
    async def hourly(ctx: inngest.Context) -> str:
        return str(ctx.event.data["scheduledAt"])

    lab.serve(client, [hourly])
    await lab.advance(hours=1)
    await lab.pause("app-hourly")
    await lab.advance(hours=2)
    await lab.resume("app-hourly")
    await lab.advance(hours=1)

    runs = list(reversed(await lab.runs(fn_id="app-hourly")))
    assert [r.output for r in runs] == ["2026-01-01T01:00:00Z", "2026-01-01T04:00:00Z"]


async def test_pausing_with_cancel_running_cancels_runs_in_flight(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="slow", trigger=inngest.TriggerEvent(event="app/slow"))
    async def slow(ctx: inngest.Context) -> str:
        await ctx.step.sleep("wait", 3_600_000)
        return "done"

    lab.serve(client, [slow])
    lab.send([{"name": "app/slow", "data": {"i": i}} for i in range(3)])
    await lab.idle()
    await lab.pause("app-slow", cancel_running=True)
    await lab.idle()

    runs = await lab.runs(fn_id="app-slow")
    assert [r.status for r in runs] == [inngest.RunStatus.CANCELLED] * 3
