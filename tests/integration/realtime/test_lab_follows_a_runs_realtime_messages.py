"""A function publishes progress with our SDK's ``publish``; ``Lab.realtime(run_id)`` and the notebook log
(``follow_realtime``) follow that run's messages in order, and never another run's."""

from __future__ import annotations

from datetime import timedelta

import inngest_lab as inngest
from inngest_lab.sdk.realtime import publish
from inngest_lab.workbench.realtime_view import follow_realtime
from tests.cases.helpers import started_run


async def test_a_runs_messages_arrive_in_order_in_the_log(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="report", trigger=inngest.TriggerEvent(event="app/report"))
    async def report(ctx: inngest.Context) -> str:
        await ctx.step.sleep("warm-up", timedelta(seconds=1))
        for i in range(4):

            async def tick(i: int = i) -> None:
                channel = f"progress:{ctx.event.data['key']}"
                await publish(client, channel, "tick", {"i": i, "progress": (i + 1) / 4}, run_id=ctx.run_id)

            await ctx.step.run(f"tick-{i}", tick)
        return "done"

    lab.serve(client, [report])
    mine = await started_run(lab, lab.send({"name": "app/report", "data": {"key": "a"}})[0])
    other = await started_run(lab, lab.send({"name": "app/report", "data": {"key": "b"}})[0])
    sub = await lab.realtime(mine.run_id)
    channel_sub = await lab.realtime(channel="progress:b", topics=["tick"])
    log = await follow_realtime(lab, mine.run_id, show=False)

    await lab.advance(seconds=1)
    assert log.task is not None
    await log.task

    received = [await sub.next() for _ in range(4)]
    assert [m.data["i"] for m in received if m is not None] == [0, 1, 2, 3]
    assert {m.run_id for m in received if m is not None} == {mine.run_id}
    by_channel = [await channel_sub.next() for _ in range(4)]
    assert {m.run_id for m in by_channel if m is not None} == {other.run_id}
    await sub.close()
    await channel_sub.close()
    assert [m["data"]["i"] for m in log.messages] == [0, 1, 2, 3]
    assert log.done and log.progress == 1.0
    html = log._repr_html_()
    assert "progress" in html and mine.run_id in html and "ended" in html
