"""``on_failure`` runs once the function has failed for good, with ``inngest/function.failed`` as its event."""

from __future__ import annotations

from typing import Any

import inngest_lab as inngest


async def test_on_failure_runs_with_the_failed_event_and_sees_the_error(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    seen: list[dict[str, Any]] = []

    async def handle_failure(ctx: inngest.Context) -> str:
        seen.append({"name": ctx.event.name, **ctx.event.data})
        return str(await ctx.step.run("compensate", lambda: "rolled back"))

    @client.create_function(
        fn_id="charge", trigger=inngest.TriggerEvent(event="app/charge"), retries=0, on_failure=handle_failure
    )
    async def charge(ctx: inngest.Context) -> None:
        raise ValueError("card declined")

    lab.serve(client, [charge])
    [event_id] = lab.send({"name": "app/charge", "data": {"order": "o1"}})
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.FAILED
    await lab.idle()

    [failure_run] = await lab.runs(fn_id="app-charge-failure")
    assert failure_run.status is inngest.RunStatus.COMPLETED and failure_run.output == "rolled back"
    failed = seen[-1]  # the handler body replays once per step
    assert failed["name"] == "inngest/function.failed"
    assert failed["function_id"] == "app-charge" and failed["run_id"] == run.run_id
    assert failed["error"]["name"] == "ValueError" and failed["error"]["message"] == "card declined"
    assert failed["event"]["name"] == "app/charge" and failed["event"]["data"] == {"order": "o1"}


async def test_on_failure_does_not_run_when_the_function_succeeds(lab: inngest.Lab, client: inngest.Inngest) -> None:
    failures: list[str] = []

    async def handle_failure(ctx: inngest.Context) -> None:
        failures.append(ctx.event.name)

    @client.create_function(fn_id="fine", trigger=inngest.TriggerEvent(event="app/fine"), on_failure=handle_failure)
    async def fine(ctx: inngest.Context) -> str:
        return "ok"

    @client.create_function(fn_id="other", trigger=inngest.TriggerEvent(event="app/other"), retries=0)
    async def other(ctx: inngest.Context) -> None:
        raise ValueError("unrelated failure")

    lab.serve(client, [fine, other])
    lab.send([{"name": "app/fine"}, {"name": "app/other"}])
    await lab.idle()
    assert failures == []  # another function's failure does not trigger this handler
    assert await lab.runs(fn_id="app-fine-failure") == []


async def test_sync_on_failure_runs_after_the_retries_are_exhausted(lab: inngest.Lab, client: inngest.Inngest) -> None:
    errors: list[str] = []

    def handle_failure(ctx: inngest.ContextSync) -> None:
        errors.append(str(ctx.event.data["error"]["message"]))

    @client.create_function(
        fn_id="sync-charge", trigger=inngest.TriggerEvent(event="app/charge"), retries=1, on_failure=handle_failure
    )
    def sync_charge(ctx: inngest.ContextSync) -> None:
        ctx.step.run("charge", lambda: 1 / 0)

    lab.serve(client, [sync_charge])
    [event_id] = lab.send({"name": "app/charge"})
    await lab.idle()
    assert errors == []  # the first attempt's failure is retried, not final
    await lab.advance(minutes=1)
    [run] = await lab.runs(event_id=event_id)
    assert run.status is inngest.RunStatus.FAILED
    assert errors == ["division by zero"]
