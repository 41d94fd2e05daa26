"""A function with two triggers runs once for each event matching either of them."""

from __future__ import annotations

import inngest_lab as inngest


async def test_each_trigger_starts_its_own_run(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(
        fn_id="sync-user",
        trigger=[inngest.TriggerEvent(event="app/user.created"), inngest.TriggerEvent(event="app/user.updated")],
    )
    async def sync_user(ctx: inngest.Context) -> str:
        return ctx.event.name

    lab.serve(client, [sync_user])
    [created, updated, _] = lab.send(
        [{"name": "app/user.created"}, {"name": "app/user.updated"}, {"name": "app/user.deleted"}]
    )
    [c] = await lab.wait(created)
    [u] = await lab.wait(updated)
    assert (c.output, u.output) == ("app/user.created", "app/user.updated")
    assert len(await lab.runs(fn_id="app-sync-user")) == 2


async def test_an_event_matching_both_triggers_starts_one_run(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(
        fn_id="both", trigger=[inngest.TriggerEvent(event="app/user.*"), inngest.TriggerEvent(event="app/user.created")]
    )
    async def both(ctx: inngest.Context) -> str:
        return "once"

    lab.serve(client, [both])
    [event_id] = lab.send({"name": "app/user.created"})
    runs = await lab.wait(event_id)
    assert [r.output for r in runs] == ["once"]
