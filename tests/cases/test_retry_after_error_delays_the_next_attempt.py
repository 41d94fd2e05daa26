"""RetryAfterError schedules the next attempt at the time it names instead of the backoff table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import inngest_lab as inngest
from tests.cases.helpers import current, history, started_run


async def test_retry_after_a_datetime_waits_until_that_time(lab: inngest.Lab, client: inngest.Inngest) -> None:
    retry_at = datetime.fromtimestamp(lab.clock.now_ms() / 1000, UTC) + timedelta(minutes=10)
    attempts: list[int] = []

    @client.create_function(fn_id="limited", trigger=inngest.TriggerEvent(event="app/go"))
    async def limited(ctx: inngest.Context) -> str:
        def call() -> str:
            attempts.append(ctx.attempt)
            if ctx.attempt == 0:
                raise inngest.RetryAfterError("rate limited", retry_at)
            return "through"

        return str(await ctx.step.run("call", call))

    lab.serve(client, [limited])
    [event_id] = lab.send({"name": "app/go"})
    run = await started_run(lab, event_id)
    [retry] = [e for e in await history(lab, run.run_id) if isinstance(e.data, dict) and "retry_at_ms" in e.data]
    assert retry.data["retry_at_ms"] == int(retry_at.timestamp() * 1000)

    await lab.advance(minutes=9, seconds=59)  # far past the 15 s + jitter backoff, still before the time
    assert attempts == [0]
    await lab.advance(seconds=1)
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED and done.output == "through"
    assert attempts == [0, 1]


async def test_retry_after_a_delay_counts_from_the_engine_clock(lab: inngest.Lab, client: inngest.Inngest) -> None:
    attempts: list[int] = []

    @client.create_function(fn_id="later", trigger=inngest.TriggerEvent(event="app/go"))
    async def later(ctx: inngest.Context) -> int:
        attempts.append(ctx.attempt)
        if ctx.attempt == 0:
            raise inngest.RetryAfterError("come back later", timedelta(minutes=2))
        return ctx.attempt

    lab.serve(client, [later])
    [event_id] = lab.send({"name": "app/go"})
    run = await started_run(lab, event_id)
    await lab.advance(minutes=1, seconds=59)
    assert attempts == [0]
    await lab.advance(seconds=1)
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED and done.output == 1
