"""The ``if_exp`` of wait_for_event interpolates the trigger's values safely: quotes, numbers and missing fields."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

import inngest_lab as inngest
from tests.cases.helpers import current, started_run


def _waiter(client: inngest.Inngest) -> inngest.Function[Any]:
    @client.create_function(fn_id="waiter", trigger=inngest.TriggerEvent(event="app/start"))
    async def waiter(ctx: inngest.Context) -> Any:
        got = await ctx.step.wait_for_event(
            "match", event="app/match", if_exp="async.data.id == event.data.id", timeout=timedelta(hours=1)
        )
        return None if got is None else got.data.get("tag")

    return waiter


@pytest.mark.parametrize("value", ["it's", 'say "hi"', "back\\slash", 42, 1.5, True, ["a", 1], {"k": "v"}])
async def test_a_trigger_value_matches_the_same_value_in_the_incoming_event(
    lab: inngest.Lab, client: inngest.Inngest, value: Any
) -> None:
    lab.serve(client, [_waiter(client)])
    [event_id] = lab.send({"name": "app/start", "data": {"id": value}})
    run = await started_run(lab, event_id)
    lab.send({"name": "app/match", "data": {"id": "something else", "tag": "wrong"}})
    lab.send({"name": "app/match", "data": {"id": value, "tag": "right"}})
    await lab.idle()
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED and done.output == "right"


async def test_a_missing_trigger_field_never_matches_and_the_wait_times_out(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    lab.serve(client, [_waiter(client)])
    [event_id] = lab.send({"name": "app/start", "data": {}})
    run = await started_run(lab, event_id)
    lab.send({"name": "app/match", "data": {"id": "x", "tag": "no"}})
    lab.send({"name": "app/match", "data": {"tag": "also no"}})
    await lab.idle()
    assert (await current(lab, run.run_id)).status is inngest.RunStatus.RUNNING
    await lab.advance(hours=1)
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED and done.output is None
