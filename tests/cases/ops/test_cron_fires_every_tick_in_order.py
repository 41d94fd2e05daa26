"""A cron trigger fires ``inngest/scheduled.timer`` once per tick, in order, as the fake clock passes each tick."""

from __future__ import annotations

import inngest_lab as inngest
from inngest_lab.engine.model import HistoryKind
from inngest_lab.protocol.consts import InternalEvent
from tests.cases.helpers import history


async def test_cron_starts_one_run_per_tick_with_the_scheduled_timer_event(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    seen: list[dict[str, object]] = []

    @client.create_function(fn_id="report", trigger=inngest.TriggerCron(cron="*/15 * * * *"))
    async def report(ctx: inngest.Context) -> str:
        event = await ctx.step.run("event", lambda: {"name": ctx.event.name, "id": ctx.event.id, **ctx.event.data})
        seen.append(event)
        return str(ctx.event.data["scheduledAt"])

    lab.serve(client, [report])
    await lab.advance(hours=1)  # the fake clock starts at 2026-01-01T00:00:00Z

    runs = list(reversed(await lab.runs(fn_id="app-report")))
    assert [r.status for r in runs] == [inngest.RunStatus.COMPLETED] * 4
    ticks = ["2026-01-01T00:15:00Z", "2026-01-01T00:30:00Z", "2026-01-01T00:45:00Z", "2026-01-01T01:00:00Z"]
    assert [r.output for r in runs] == ticks
    assert [r.cron for r in runs] == ["*/15 * * * *"] * 4
    [scheduled, *_] = await history(lab, runs[0].run_id)
    assert scheduled.kind is HistoryKind.RUN_SCHEDULED
    assert {k: scheduled.data[k] for k in ("cron", "scheduled_at", "fired_at")} == {
        "cron": "*/15 * * * *",
        "scheduled_at": ticks[0],
        "fired_at": ticks[0],
    }
    assert seen == [
        {"name": InternalEvent.SCHEDULED_TIMER.value, "id": t, "cron": "*/15 * * * *", "scheduledAt": t, "fireAt": t}
        for t in ticks
    ]


async def test_cron_in_a_time_zone_fires_at_that_zones_wall_time(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="noon", trigger=inngest.TriggerCron(cron="TZ=Europe/Paris 0 12 * * *"))
    async def noon(ctx: inngest.Context) -> str:
        return str(ctx.event.data["scheduledAt"])

    lab.serve(client, [noon])
    await lab.advance(hours=10, minutes=59)
    assert await lab.runs(fn_id="app-noon") == []
    await lab.advance(minutes=1)  # 12:00 in Paris is 11:00 UTC in winter
    [run] = await lab.runs(fn_id="app-noon")
    [done] = await lab.wait(run.run_id)
    assert done.output == "2026-01-01T11:00:00Z"
