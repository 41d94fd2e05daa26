"""Fan-out: one event starts one run of every function whose trigger matches it."""

from __future__ import annotations

import inngest_lab as inngest


async def test_one_event_starts_a_run_of_each_subscribed_function(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="email", trigger=inngest.TriggerEvent(event="app/user.created"))
    async def email(ctx: inngest.Context) -> str:
        return f"mail {ctx.event.data['id']}"

    @client.create_function(fn_id="crm", trigger=inngest.TriggerEvent(event="app/user.created"))
    async def crm(ctx: inngest.Context) -> str:
        return f"crm {ctx.event.data['id']}"

    @client.create_function(fn_id="unrelated", trigger=inngest.TriggerEvent(event="app/user.deleted"))
    async def unrelated(ctx: inngest.Context) -> None:
        return None

    lab.serve(client, [email, crm, unrelated])
    [event_id] = lab.send({"name": "app/user.created", "data": {"id": 5}})
    runs = await lab.wait(event_id)
    assert sorted((r.fn_id, r.output) for r in runs) == [("app-crm", "crm 5"), ("app-email", "mail 5")]
    assert all(r.status is inngest.RunStatus.COMPLETED for r in runs)
    assert await lab.runs(fn_id="app-unrelated") == []
