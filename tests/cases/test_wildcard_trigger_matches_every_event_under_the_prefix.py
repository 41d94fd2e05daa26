"""A trigger ``app/*`` starts a run for every event whose name begins with ``app/``, and for no other."""

from __future__ import annotations

import inngest_lab as inngest


async def test_wildcard_trigger_runs_for_each_event_under_the_prefix(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="all", trigger=inngest.TriggerEvent(event="app/*"))
    async def everything(ctx: inngest.Context) -> str:
        return ctx.event.name

    lab.serve(client, [everything])
    ids = lab.send(
        [{"name": "app/a"}, {"name": "app/b.c"}, {"name": "app/x/y"}, {"name": "other/a"}, {"name": "apps/a"}]
    )
    await lab.idle()
    runs = await lab.runs(fn_id="app-all")
    assert sorted(r.output for r in runs) == ["app/a", "app/b.c", "app/x/y"]
    assert await lab.runs(event_id=ids[3]) == [] and await lab.runs(event_id=ids[4]) == []
