"""Re-syncing an app re-arms its crons: a changed cron fires on the new schedule only, a removed one stops."""

from __future__ import annotations

import inngest_lab as inngest


def cron_function(client: inngest.Inngest, cron: str | None) -> inngest.Function[str]:
    trigger: inngest.TriggerCron | inngest.TriggerEvent = (
        inngest.TriggerCron(cron=cron) if cron else inngest.TriggerEvent(event="app/manual")
    )

    @client.create_function(fn_id="job", trigger=trigger)
    async def job(ctx: inngest.Context) -> str:
        return str(ctx.event.data.get("cron"))

    return job


async def test_a_changed_cron_replaces_the_old_schedule(lab: inngest.Lab) -> None:
    client = inngest.Inngest(app_id="app", is_production=False)
    lab.serve(client, [cron_function(client, "0 * * * *")])
    await lab.advance(hours=1)
    lab.serve(client, [cron_function(client, "30 * * * *")])
    await lab.advance(hours=2)

    runs = list(reversed(await lab.runs(fn_id="app-job")))
    assert [(r.output, r.event["data"]["scheduledAt"]) for r in runs] == [
        ("0 * * * *", "2026-01-01T01:00:00Z"),
        ("30 * * * *", "2026-01-01T01:30:00Z"),
        ("30 * * * *", "2026-01-01T02:30:00Z"),
    ]


async def test_a_removed_cron_stops_firing(lab: inngest.Lab) -> None:
    client = inngest.Inngest(app_id="app", is_production=False)
    lab.serve(client, [cron_function(client, "0 * * * *")])
    await lab.advance(hours=1)
    lab.serve(client, [cron_function(client, None)])
    await lab.advance(hours=3)

    assert len(await lab.runs(fn_id="app-job")) == 1
    assert lab.engine.store.next_due_ms() is None  # the armed tick was dropped, not left to expire
