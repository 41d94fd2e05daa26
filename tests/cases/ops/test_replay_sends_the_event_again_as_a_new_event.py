"""Replaying a stored event sends its payload again as a new event (new id): it starts the functions it triggers,
and their runs record which event they replay."""

from __future__ import annotations

import inngest_lab as inngest
from inngest_lab.engine.model import HistoryKind
from tests.cases.helpers import history


async def test_replay_starts_new_runs_linked_to_the_original_event(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="echo", trigger=inngest.TriggerEvent(event="app/echo"))
    async def echo(ctx: inngest.Context) -> dict[str, object]:
        return {"id": ctx.event.id, "data": dict(ctx.event.data)}

    lab.serve(client, [echo])
    [event_id] = lab.send({"name": "app/echo", "data": {"x": 1}, "id": "user-chosen-id"})
    [original] = await lab.wait(event_id)
    await lab.advance(minutes=5)

    replayed_id = await lab.replay(event_id)
    [run] = await lab.wait(replayed_id)

    assert replayed_id != event_id
    assert run.output == {"id": replayed_id, "data": {"x": 1}}
    assert run.run_id != original.run_id
    event = await lab.engine.store.get_event(replayed_id)
    assert event is not None and event.payload["ts"] == lab.clock.now_ms()
    [scheduled] = [h for h in await history(lab, run.run_id) if h.kind is HistoryKind.RUN_SCHEDULED]
    assert scheduled.data["replay_of"] == event_id
