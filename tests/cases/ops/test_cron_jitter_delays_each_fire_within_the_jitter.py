"""``jitter`` delays each fire by up to that long; the event still names the scheduled tick."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import inngest_lab as inngest


def ms(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC).timestamp() * 1000)


async def test_jittered_ticks_fire_between_the_tick_and_the_tick_plus_jitter(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    @client.create_function(fn_id="spread", trigger=inngest.TriggerCron(cron="0 * * * *", jitter=timedelta(minutes=5)))
    async def spread(ctx: inngest.Context) -> str:
        return "ok"

    lab.serve(client, [spread])
    await lab.advance(hours=5, minutes=5)

    runs = list(reversed(await lab.runs(fn_id="app-spread")))
    assert [r.event["data"]["scheduledAt"] for r in runs] == [f"2026-01-01T0{h}:00:00Z" for h in range(1, 6)]
    for run in runs:
        scheduled, fired = ms(run.event["data"]["scheduledAt"]), ms(run.event["data"]["fireAt"])
        assert scheduled <= fired <= scheduled + 5 * 60_000
        assert run.created_at_ms == run.event["ts"] == fired
    assert len({r.event["data"]["fireAt"][14:] for r in runs}) > 1  # the delays differ from tick to tick
