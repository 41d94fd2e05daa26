"""``lab.invoke`` (the Invoke button) starts a function directly, without a trigger event."""

from __future__ import annotations

import pytest

import inngest_lab as inngest


async def test_invoke_runs_the_function_with_the_given_data(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="report", trigger=inngest.TriggerCron(cron="0 9 * * *"))
    async def report(ctx: inngest.Context) -> object:
        return ctx.event.data.get("day", "today")

    lab.serve(client, [report])
    event_id = await lab.invoke("app-report", {"day": "monday"})
    [run] = await lab.wait(event_id)
    assert run.fn_id == "app-report"
    assert run.output == "monday"


async def test_invoking_an_unknown_function_names_the_known_ones(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="known", trigger=inngest.TriggerEvent(event="app/known"))
    async def known(ctx: inngest.Context) -> None:
        return None

    lab.serve(client, [known])
    with pytest.raises(KeyError, match="app-known"):
        await lab.invoke("app-nope")
