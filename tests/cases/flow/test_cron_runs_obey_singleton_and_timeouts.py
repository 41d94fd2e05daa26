"""Runs started by a cron tick go through the same start-time flow control as event runs: a singleton cron never
overlaps itself (the tick that finds the previous run still going is Skipped), and its timeouts apply."""

from __future__ import annotations

from datetime import timedelta

import inngest_lab as inngest


async def test_a_singleton_cron_skips_the_tick_that_would_overlap(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(
        fn_id="sweep",
        trigger=inngest.TriggerCron(cron="*/15 * * * *"),
        singleton=inngest.Singleton(mode="skip"),
    )
    async def sweep(ctx: inngest.Context) -> str:
        await ctx.step.sleep("work", timedelta(minutes=20))  # longer than the 15-minute interval
        return str(ctx.event.data["scheduledAt"])

    lab.serve(client, [sweep])
    await lab.advance(hours=1, minutes=10)

    runs = list(reversed(await lab.runs(fn_id="app-sweep")))
    assert [(r.status.value, r.skip_reason) for r in runs] == [
        ("Completed", None),  # 00:15, until 00:35
        ("Skipped", "Singleton"),  # 00:30
        ("Completed", None),  # 00:45, until 01:05
        ("Skipped", "Singleton"),  # 01:00
    ]
    assert runs[1].output == {"existing_run_id": runs[0].run_id, "key": ""}


async def test_a_cron_runs_finish_timeout_cancels_it(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(
        fn_id="nightly",
        trigger=inngest.TriggerCron(cron="0 * * * *"),
        timeouts=inngest.Timeouts(finish=timedelta(minutes=10)),
    )
    async def nightly(ctx: inngest.Context) -> str:
        await ctx.step.sleep("slow", timedelta(minutes=30))
        return "done"

    lab.serve(client, [nightly])
    await lab.advance(hours=1, minutes=10)

    [run] = await lab.runs(fn_id="app-nightly")
    assert run.status is inngest.RunStatus.CANCELLED
    assert "timeouts.finish" in run.error["message"]
