"""The run timeline widget follows its run's realtime messages into the ``realtime`` trait (the pane the front
end draws under the timeline): subscribed before the run is read, bounded, marked done and stopped when the
run ends, stopped when the widget closes, and kept in the static HTML a saved notebook shows."""

from __future__ import annotations

from datetime import timedelta

import inngest_lab as inngest
from inngest_lab.sdk.realtime import publish
from inngest_lab.widgets import RunsTable, RunTimeline
from inngest_lab.workbench.realtime_view import RealtimeFollower
from tests.cases.helpers import current, started_run


def _reporter(client: inngest.Inngest, ticks: int = 4) -> inngest.Function[str]:
    """Sleeps a second (so a view can subscribe first), then reports progress once per step."""

    @client.create_function(fn_id="report", trigger=inngest.TriggerEvent(event="shop/report"))
    async def report(ctx: inngest.Context) -> str:
        await ctx.step.sleep("warm-up", timedelta(seconds=1))
        for i in range(ticks):

            async def tick(i: int = i) -> None:
                await publish(client, "report", "progress", {"i": i, "progress": (i + 1) / ticks}, run_id=ctx.run_id)

            await ctx.step.run(f"tick-{i}", tick)
        return "done"

    return report


async def _parked_run(lab: inngest.Lab, client: inngest.Inngest, ticks: int = 4) -> inngest.Run:
    lab.serve(client, [_reporter(client, ticks)])
    return await started_run(lab, lab.send({"name": "shop/report"})[0])


async def _follower(widget: RunTimeline | RunsTable) -> RealtimeFollower:
    follower = await widget.pane.realtime_started()
    assert follower is not None
    return follower


async def test_the_messages_fill_the_trait_in_order_and_the_follower_stops_when_the_run_ends(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    run = await _parked_run(lab, client)
    widget = RunTimeline(run)
    assert widget.realtime == {}  # nothing published yet: the front end hides the pane
    follower = await _follower(widget)
    sub = follower._sub
    assert sub is not None and not sub.closed

    await lab.advance(seconds=1)
    assert follower.log.task is not None
    await follower.log.task

    view = widget.realtime
    assert [m["data"] for m in view["messages"]] == [{"i": i, "progress": (i + 1) / 4} for i in range(4)]
    assert {(m["channel"], m["topic"], m["run_id"]) for m in view["messages"]} == {("report", "progress", run.run_id)}
    assert view["progress"] == 1.0 and view["done"] is True and view["dropped"] == 0
    assert sub.closed  # the run ended: nothing left subscribed, nothing left running
    widget.close()


async def test_the_log_keeps_the_newest_rows_and_counts_the_dropped(lab: inngest.Lab, client: inngest.Inngest) -> None:
    run = await _parked_run(lab, client, ticks=7)
    seen: list[int] = []
    follower = RealtimeFollower(lab, run.run_id, lambda log: seen.append(len(log.messages)), max_rows=3)
    await follower.start()

    await lab.advance(seconds=1)
    assert follower.log.task is not None
    await follower.log.task

    view = follower.log.view()
    assert [m["data"]["i"] for m in view["messages"]] == [4, 5, 6]
    assert view["dropped"] == 4 and view["progress"] == 1.0 and view["done"]
    assert max(seen) == 3  # never more than the bound went to the front end


async def test_closing_the_widget_stops_following(lab: inngest.Lab, client: inngest.Inngest) -> None:
    run = await _parked_run(lab, client)
    widget = RunTimeline(run)
    follower = await _follower(widget)
    task, sub = follower.log.task, follower._sub
    assert task is not None and sub is not None

    widget.close()
    await lab.advance(seconds=1)
    await lab.wait(run.run_id)

    assert task.done() and sub.closed
    assert widget.realtime == {}  # nothing arrived after the close
    assert widget.pane.realtime is None


async def test_the_static_html_of_a_saved_notebook_shows_the_messages_received(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    run = await _parked_run(lab, client)
    widget = RunTimeline(run)
    follower = await _follower(widget)
    await lab.advance(seconds=1)
    assert follower.log.task is not None
    await follower.log.task
    widget.refresh()

    data, _ = widget._repr_mimebundle_()
    html = data["text/html"]
    assert "inngest-timeline-static" in html and "inngest-realtime-static" in html
    assert '<progress value="1.000"' in html and "4 messages · run ended" in html
    assert html.count("<td>report</td><td>progress</td>") == 4
    assert data["text/plain"].endswith('report/progress: {"i": 3, "progress": 1.0}')
    widget.close()


async def test_a_run_opened_from_the_runs_table_shows_its_stream_too(lab: inngest.Lab, client: inngest.Inngest) -> None:
    run = await _parked_run(lab, client)
    table = RunsTable()
    table.open_run(run.run_id)
    follower = await _follower(table)
    await lab.advance(seconds=1)
    assert follower.log.task is not None
    await follower.log.task

    assert table.timeline_realtime["run_id"] == run.run_id
    assert len(table.timeline_realtime["messages"]) == 4
    table.open_run(None)  # closing the timeline stops its stream and clears the pane
    assert table.timeline_realtime == {}
    table.close()


async def test_a_dropped_subscription_ends_the_follower_without_calling_the_run_ended(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    run = await _parked_run(lab, client)
    follower = RealtimeFollower(lab, run.run_id)
    await follower.start()
    assert follower._sub is not None and follower.log.task is not None

    await follower._sub.close()  # what an attached Lab's subscription does when the server's stream ends
    await follower.log.task

    assert not follower.log.done  # the run is still parked on its sleep
    assert (await current(lab, run.run_id)).status.value == "Running"
