"""The ids ``send`` returns (Lab, client, step.send_event) are the ``ctx.event.id`` of the events functions get.

Inngest sets a missing event id to the event's internal ULID, which is also what the Event API returns.
"""

from __future__ import annotations

import inngest_lab as inngest


async def test_lab_send_and_client_send_return_the_event_ids(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="echo", trigger=inngest.TriggerEvent(event="app/echo"))
    async def echo(ctx: inngest.Context) -> str:
        return ctx.event.id

    lab.serve(client, [echo])
    [from_lab] = lab.send({"name": "app/echo"})
    [run] = await lab.wait(from_lab)
    assert run.output == from_lab

    [from_client] = await client.send(inngest.Event(name="app/echo"))
    [run] = await lab.wait(from_client)
    assert run.output == from_client


async def test_step_send_event_returns_the_ids_the_receivers_see(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="sender", trigger=inngest.TriggerEvent(event="app/start"))
    async def sender(ctx: inngest.Context) -> list[str]:
        return await ctx.step.send_event("send", [inngest.Event(name="app/echo"), inngest.Event(name="app/echo")])

    @client.create_function(fn_id="echo", trigger=inngest.TriggerEvent(event="app/echo"))
    async def echo(ctx: inngest.Context) -> str:
        return ctx.event.id

    lab.serve(client, [sender, echo])
    [event_id] = lab.send({"name": "app/start"})
    [run] = await lab.wait(event_id)
    await lab.idle()
    assert sorted(r.output for r in await lab.runs(fn_id="app-echo")) == sorted(run.output)


async def test_an_explicit_event_id_is_kept(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="echo", trigger=inngest.TriggerEvent(event="app/echo"))
    async def echo(ctx: inngest.Context) -> str:
        return ctx.event.id

    lab.serve(client, [echo])
    [internal] = lab.send({"name": "app/echo", "id": "my-key"})
    [run] = await lab.wait(internal)
    assert run.output == "my-key"
