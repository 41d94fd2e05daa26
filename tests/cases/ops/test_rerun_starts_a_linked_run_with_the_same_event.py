"""A rerun is a new run of the same function with the same event, linked to the original by ``original_run_id``;
both runs' histories record the link."""

from __future__ import annotations

import inngest_lab as inngest
from inngest_lab.engine.model import HistoryKind
from tests.cases.helpers import history


async def test_rerun_runs_every_step_again_for_the_same_event(lab: inngest.Lab, client: inngest.Inngest) -> None:
    calls: list[str] = []

    def lookup(name: str) -> str:
        calls.append("lookup")
        return name

    @client.create_function(fn_id="greet", trigger=inngest.TriggerEvent(event="app/greet"))
    async def greet(ctx: inngest.Context) -> str:
        name = await ctx.step.run("lookup", lookup, ctx.event.data["name"])
        return f"hello {name}"

    lab.serve(client, [greet])
    [event_id] = lab.send({"name": "app/greet", "data": {"name": "Ada"}})
    [original] = await lab.wait(event_id)

    rerun_id = await lab.rerun(original.run_id)
    [rerun] = await lab.wait(rerun_id)
    assert rerun.output == "hello Ada"
    assert rerun.original_run_id == original.run_id
    assert rerun.event_ids == original.event_ids
    assert calls == ["lookup", "lookup"]
    assert {r.run_id for r in await lab.runs(event_id=event_id)} == {original.run_id, rerun_id}

    [scheduled] = [h for h in await history(lab, rerun_id) if h.kind is HistoryKind.RUN_SCHEDULED]
    assert scheduled.data["rerun_of"] == original.run_id
    [link] = [h for h in await history(lab, original.run_id) if h.kind is HistoryKind.RUN_RERUN]
    assert link.data["rerun_run_id"] == rerun_id

    again = await lab.rerun(rerun_id)  # a rerun of a rerun still points at the first run
    [second] = await lab.wait(again)
    assert second.original_run_id == original.run_id
