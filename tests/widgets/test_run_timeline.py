"""RunTimeline: the widget's synced state follows the run as the engine commits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import inngest_lab as inngest
from inngest_lab.widgets import RunTimeline, TimelineSnapshot


async def _sleeping_run(lab: inngest.Lab, client: inngest.Inngest, fn: inngest.Function[Any]) -> inngest.Run:
    lab.serve(client, [fn])
    [event_id] = lab.send({"name": "shop/checkout", "data": {"sku": "sku-9"}})
    await lab.idle()
    [run] = await lab.runs(event_id=event_id)
    return run


def _rows(widget: RunTimeline) -> list[tuple[str, str, str]]:
    return [(s["name"], s["kind"], s["status"]) for s in widget.data["spans"]]


async def test_timeline_shows_one_row_per_step_with_kind_and_status(
    lab: inngest.Lab, client: inngest.Inngest, checkout: inngest.Function[str]
) -> None:
    run = await _sleeping_run(lab, client, checkout)
    widget = RunTimeline(run)
    assert widget.data["status"] == "Running"
    assert _rows(widget) == [("reserve", "run", "completed"), ("cool-off", "sleep", "sleeping")]
    assert widget.data["spans"][0]["output"] == "sku-9"


async def test_timeline_follows_the_run_from_the_change_feed_without_reading_the_store(
    lab: inngest.Lab, client: inngest.Inngest, checkout: inngest.Function[str], monkeypatch: Any
) -> None:
    run = await _sleeping_run(lab, client, checkout)
    widget = RunTimeline(run)
    reads: list[str] = []
    monkeypatch.setattr(lab, "history", lambda run_id: reads.append(run_id))
    seen: list[str] = []
    widget.observe(lambda change: seen.append(change["new"]["status"]), names="data")

    await lab.advance(hours=1)
    widget.refresh()  # changes are coalesced for a few ms; push them now

    assert seen[-1] == "Completed"
    assert _rows(widget)[-1] == ("charge", "run", "completed")
    assert reads == []  # pushed by the feed, never polled


async def test_timeline_of_a_run_from_an_earlier_session_loads_its_history(
    tmp_path: Path, client: inngest.Inngest, checkout: inngest.Function[str]
) -> None:
    async with inngest.Lab(tmp_path / "lab.db", fake_clock=True) as first:
        first.serve(client, [checkout])
        [event_id] = first.send({"name": "shop/checkout"})
        await first.advance(hours=1)
        [run] = await first.wait(event_id)
    async with inngest.Lab(tmp_path / "lab.db", fake_clock=True) as second:
        widget = RunTimeline(run.run_id, second)
        assert widget.pane.feed is not None and widget.pane.feed.loaded is not None
        await widget.pane.feed.loaded
        assert widget.data["status"] == "Completed"
        assert [name for name, _, _ in _rows(widget)] == ["reserve", "cool-off", "charge"]


async def test_cancel_button_cancels_the_run_and_the_timeline_shows_it(
    lab: inngest.Lab, client: inngest.Inngest, checkout: inngest.Function[str]
) -> None:
    run = await _sleeping_run(lab, client, checkout)
    widget = RunTimeline(run)
    widget._on_msg(widget, {"type": "cancel", "run_id": run.run_id}, [])  # as the front end sends it
    await widget.settled()
    await lab.idle()
    widget.refresh()
    assert widget.data["status"] == "Cancelled"
    assert _rows(widget)[-1] == ("cool-off", "sleep", "cancelled")
    assert widget.notice == ""


async def test_unknown_command_is_reported_in_the_widget(
    lab: inngest.Lab, client: inngest.Inngest, checkout: inngest.Function[str]
) -> None:
    widget = RunTimeline(await _sleeping_run(lab, client, checkout))
    widget._on_msg(widget, {"type": "explode"}, [])
    assert widget.notice == "unknown command 'explode'"


async def test_closing_the_widget_stops_watching_the_run(
    lab: inngest.Lab, client: inngest.Inngest, checkout: inngest.Function[str]
) -> None:
    run = await _sleeping_run(lab, client, checkout)
    widget = RunTimeline(run)
    assert lab.live.watchers(run.run_id) == 1
    widget.close()
    assert lab.live.watchers(run.run_id) == 0


async def test_failed_step_shows_every_attempt_and_the_error(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="flaky", trigger=inngest.TriggerEvent(event="shop/flaky"), retries=1)
    async def flaky(ctx: inngest.Context) -> None:
        def boom() -> None:
            raise ValueError("card declined")

        await ctx.step.run("charge", boom)

    lab.serve(client, [flaky])
    [event_id] = lab.send({"name": "shop/flaky"})
    await lab.advance(minutes=5)
    [run] = await lab.wait(event_id)
    widget = RunTimeline(run)
    [charge] = widget.data["spans"]
    assert [a["status"] for a in charge["attempts"]] == ["errored", "failed"]
    assert charge["error"]["name"] == "ValueError"
    assert charge["error"]["message"] == "card declined"
    assert "Traceback" in charge["error"]["stack"]


async def test_mimebundle_falls_back_to_html_and_text_where_widgets_do_not_render(
    lab: inngest.Lab, client: inngest.Inngest, checkout: inngest.Function[str]
) -> None:
    run = await _sleeping_run(lab, client, checkout)
    data, _ = RunTimeline(run)._repr_mimebundle_()
    assert set(data) == {"application/vnd.jupyter.widget-view+json", "text/html", "text/plain"}
    assert "cool-off" in data["text/html"] and run.run_id in data["text/html"]
    assert data["text/plain"].splitlines()[0] == f"Run {run.run_id} · shop-checkout · Running · 0ms"


async def test_rerun_button_starts_a_new_run_and_the_timeline_follows_it(
    lab: inngest.Lab, client: inngest.Inngest, checkout: inngest.Function[str]
) -> None:
    run = await _sleeping_run(lab, client, checkout)
    await lab.advance(hours=1)
    widget = RunTimeline(run.run_id)
    widget._on_msg(widget, {"type": "rerun", "run_id": run.run_id}, [])
    await widget.settled()
    assert widget.notice == ""
    assert widget.run_id != run.run_id
    await lab.idle()
    widget.refresh()
    assert widget.data["run_id"] == widget.run_id
    assert _rows(widget) == [("reserve", "run", "completed"), ("cool-off", "sleep", "sleeping")]


async def test_a_snapshot_draws_a_trace_fetched_from_a_server_without_a_lab(
    lab: inngest.Lab, client: inngest.Inngest, checkout: inngest.Function[str]
) -> None:
    run = await _sleeping_run(lab, client, checkout)
    view = RunTimeline(run).data  # the same shape GET /lab/runs/{id}/trace answers
    snapshot = TimelineSnapshot(view)
    assert snapshot.static and snapshot.data == view
    data, _ = snapshot._repr_mimebundle_()
    assert "cool-off" in data["text/html"] and data["text/plain"] == repr(RunTimeline(run))


async def test_the_run_row_carries_the_triggering_event_as_its_input(
    lab: inngest.Lab, client: inngest.Inngest, checkout: inngest.Function[str]
) -> None:
    run = await _sleeping_run(lab, client, checkout)
    trigger = RunTimeline(run).data["trigger"]
    assert trigger["count"] == 1
    assert trigger["event"]["name"] == "shop/checkout" and trigger["event"]["data"] == {"sku": "sku-9"}
