"""A failing step is retried on Inngest's backoff (15 s, then 30 s, each plus up to 30 s jitter) until it succeeds."""

from __future__ import annotations

import inngest_lab as inngest
from inngest_lab.engine.model import HistoryKind
from tests.cases.helpers import current, history, started_run


async def test_step_that_fails_twice_then_succeeds_completes_on_the_third_attempt(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    attempts: list[int] = []

    @client.create_function(fn_id="flaky", trigger=inngest.TriggerEvent(event="app/flaky"))
    async def flaky(ctx: inngest.Context) -> str:
        def call() -> str:
            attempts.append(ctx.attempt)
            if len(attempts) < 3:
                raise ConnectionError(f"try {len(attempts)} failed")
            return "ok"

        return str(await ctx.step.run("call", call))

    lab.serve(client, [flaky])
    start = lab.clock.now_ms()
    [event_id] = lab.send({"name": "app/flaky"})
    run = await started_run(lab, event_id)
    assert attempts == [0]
    [first_error] = [e for e in await history(lab, run.run_id) if e.kind is HistoryKind.STEP_ERRORED]
    assert 15_000 <= first_error.data["retry_at_ms"] - start < 45_000
    assert first_error.data["error"]["message"] == "try 1 failed"

    await lab.advance(seconds=14)  # the first retry waits at least 15 s
    assert attempts == [0]
    await lab.advance(seconds=31)  # ... and at most 45 s
    assert attempts == [0, 1]
    errors = [e for e in await history(lab, run.run_id) if e.kind is HistoryKind.STEP_ERRORED]
    assert [e.attempt for e in errors] == [0, 1]
    assert 30_000 <= errors[1].data["retry_at_ms"] - errors[1].at_ms < 60_000

    await lab.advance(seconds=60)
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED and done.output == "ok"
    assert attempts == [0, 1, 2]


async def test_attempt_counter_restarts_at_zero_for_the_next_step(lab: inngest.Lab, client: inngest.Inngest) -> None:
    seen: list[tuple[str, int]] = []

    @client.create_function(fn_id="counter", trigger=inngest.TriggerEvent(event="app/counter"))
    async def counter(ctx: inngest.Context) -> None:
        def a() -> None:
            seen.append(("a", ctx.attempt))
            if ctx.attempt < 2:
                raise ConnectionError("a")

        def b() -> None:
            seen.append(("b", ctx.attempt))

        await ctx.step.run("a", a)
        await ctx.step.run("b", b)

    lab.serve(client, [counter])
    [event_id] = lab.send({"name": "app/counter"})
    run = await started_run(lab, event_id)
    await lab.advance(minutes=3)
    assert (await current(lab, run.run_id)).status is inngest.RunStatus.COMPLETED
    assert seen == [("a", 0), ("a", 1), ("a", 2), ("b", 0)]
