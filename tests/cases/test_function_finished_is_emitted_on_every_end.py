"""Every run end (completed, failed, cancelled) emits ``inngest/function.finished`` that functions can trigger on."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import inngest_lab as inngest
from tests.cases.helpers import started_run


async def test_function_finished_reaches_a_listener_for_each_way_a_run_ends(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    finished: list[dict[str, Any]] = []

    @client.create_function(fn_id="ok", trigger=inngest.TriggerEvent(event="app/ok"))
    async def ok(ctx: inngest.Context) -> int:
        return 7

    @client.create_function(fn_id="bad", trigger=inngest.TriggerEvent(event="app/bad"), retries=0)
    async def bad(ctx: inngest.Context) -> None:
        raise ValueError("bad")

    @client.create_function(fn_id="slow", trigger=inngest.TriggerEvent(event="app/slow"))
    async def slow(ctx: inngest.Context) -> None:
        await ctx.step.sleep("zz", timedelta(days=1))

    @client.create_function(
        fn_id="audit",
        trigger=inngest.TriggerEvent(
            event="inngest/function.finished", expression="event.data.function_id != 'app-audit'"
        ),
    )
    async def audit(ctx: inngest.Context) -> None:
        finished.append(dict(ctx.event.data))

    lab.serve(client, [ok, bad, slow, audit])
    [ok_id, bad_id, slow_id] = lab.send([{"name": "app/ok"}, {"name": "app/bad"}, {"name": "app/slow"}])
    slow_run = await started_run(lab, slow_id)
    assert await lab.cancel(slow_run.run_id)
    await lab.idle()

    by_fn = {f["function_id"]: f for f in finished}
    assert sorted(by_fn) == ["app-bad", "app-ok", "app-slow"]
    assert by_fn["app-ok"]["result"] == 7
    assert by_fn["app-bad"]["error"]["message"] == "bad"
    assert by_fn["app-slow"]["error"]["name"] == "FunctionCancelledError"
    [ok_run] = await lab.runs(event_id=ok_id)
    [bad_run] = await lab.runs(event_id=bad_id)
    assert by_fn["app-ok"]["run_id"] == ok_run.run_id and by_fn["app-bad"]["run_id"] == bad_run.run_id
