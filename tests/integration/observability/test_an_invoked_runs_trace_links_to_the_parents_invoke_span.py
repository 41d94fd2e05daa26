"""``step.invoke``: the parent's trace has an invoke span; the child run is a trace of its own whose root span
links to that invoke span (and names the parent run), so a backend can jump between the two."""

from __future__ import annotations

import inngest_lab as inngest
from inngest_lab.observability.context import trace_id_hex
from tests.integration.observability.collector import Collector
from tests.integration.observability.conftest import flush


async def test_the_child_runs_root_links_to_the_parents_invoke_span(
    observed_lab: inngest.Lab, collector: Collector
) -> None:
    lab = observed_lab
    client = inngest.Inngest(app_id="app", is_production=False)

    @client.create_function(fn_id="child", trigger=inngest.TriggerEvent(event="app/child"))
    async def child(ctx: inngest.Context) -> int:
        return int(await ctx.step.run("double", lambda: 2 * int(ctx.event.data["n"])))

    @client.create_function(fn_id="parent", trigger=inngest.TriggerEvent(event="app/parent"))
    async def parent(ctx: inngest.Context) -> int:
        return int(await ctx.step.invoke("ask-child", function=child, data={"n": 21}))

    lab.serve(client, [child, parent])
    [event_id] = lab.send({"name": "app/parent", "data": {}})
    await lab.advance(minutes=1)
    [parent_run] = await lab.wait(event_id)
    assert parent_run.output == 42
    [child_run] = [r for r in await lab.runs() if r.fn_id == "app-child"]
    assert lab.engine.telemetry is not None
    await flush(lab.engine.telemetry)

    parent_spans = collector.trace(trace_id_hex(parent_run.run_id))
    [invoke] = [s for s in parent_spans if s.attributes.get("inngest.step.op") == "invoke"]
    assert invoke.name == "invoke ask-child"
    [child_root] = [s for s in collector.trace(trace_id_hex(child_run.run_id)) if not s.parent_id]
    assert child_root.attributes["inngest.parent.run.id"] == parent_run.run_id
    assert child_root.links == [(invoke.trace_id, invoke.span_id)]
