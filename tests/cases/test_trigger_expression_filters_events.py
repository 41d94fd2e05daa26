"""A trigger ``expression`` (CEL over ``event``) decides which events of the right name start a run."""

from __future__ import annotations

import inngest_lab as inngest


async def test_only_events_passing_the_expression_start_runs(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(
        fn_id="big", trigger=inngest.TriggerEvent(event="app/order", expression="event.data.total >= 100")
    )
    async def big(ctx: inngest.Context) -> int:
        return int(ctx.event.data["total"])

    lab.serve(client, [big])
    ids = lab.send(
        [
            {"name": "app/order", "data": {"total": 250}},
            {"name": "app/order", "data": {"total": 99}},
            {"name": "app/order", "data": {}},  # a missing field does not match, and does not break ingest
            {"name": "app/order", "data": {"total": 100}},
        ]
    )
    await lab.idle()
    assert sorted(r.output for r in await lab.runs(fn_id="app-big")) == [100, 250]
    assert await lab.runs(event_id=ids[1]) == [] and await lab.runs(event_id=ids[2]) == []
