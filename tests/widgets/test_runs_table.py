"""RunsTable: filters, live statuses pushed by the engine, rows that open timelines."""

from __future__ import annotations

from types import SimpleNamespace

import inngest_lab as inngest
from inngest_lab.widgets import RunsTable, cells


async def _checkouts(lab: inngest.Lab, client: inngest.Inngest, fn: inngest.Function[str], n: int) -> list[str]:
    lab.serve(client, [fn])
    ids = [lab.send({"name": "shop/checkout", "data": {"sku": f"sku-{i}"}})[0] for i in range(n)]
    await lab.idle()
    return ids


async def test_lists_recent_runs_and_updates_their_status_live(
    lab: inngest.Lab, client: inngest.Inngest, checkout: inngest.Function[str]
) -> None:
    await _checkouts(lab, client, checkout, 2)
    table = RunsTable()
    await table.loaded
    assert [r["status"] for r in table.runs] == ["Running", "Running"]
    assert table.functions == ["shop-checkout"]

    await lab.advance(hours=1)
    assert [r["status"] for r in table.runs] == ["Completed", "Completed"]  # pushed, no reload


async def test_a_new_run_appears_on_top_only_when_it_matches_the_filters(
    lab: inngest.Lab, client: inngest.Inngest, checkout: inngest.Function[str]
) -> None:
    await _checkouts(lab, client, checkout, 1)
    completed = RunsTable(status="Completed")
    everything = RunsTable()
    await completed.loaded
    await everything.loaded
    assert completed.runs == []

    [event_id] = lab.send({"name": "shop/checkout"})
    await lab.idle()
    [newest] = await lab.runs(event_id=event_id)
    assert everything.runs[0]["run_id"] == newest.run_id and len(everything.runs) == 2
    assert completed.runs == []

    await lab.advance(hours=1)
    assert len(completed.runs) == 2


async def test_changing_a_filter_reloads_the_list(
    lab: inngest.Lab, client: inngest.Inngest, checkout: inngest.Function[str]
) -> None:
    await _checkouts(lab, client, checkout, 1)
    table = RunsTable()
    await table.loaded
    table.set_state({"fn_id": "shop-nothing"})  # as the front end's select does
    await table.settled()
    assert table.runs == []
    table.set_state({"fn_id": "", "status": "Running"})
    await table.settled()
    assert len(table.runs) == 1


async def test_clicking_a_row_opens_its_live_timeline(
    lab: inngest.Lab, client: inngest.Inngest, checkout: inngest.Function[str]
) -> None:
    await _checkouts(lab, client, checkout, 1)
    table = RunsTable()
    await table.loaded
    run_id = table.runs[0]["run_id"]
    table._on_msg(table, {"type": "open", "run_id": run_id}, [])
    await table.settled()
    assert table.timeline["run_id"] == run_id
    assert [s["name"] for s in table.timeline["spans"]] == ["reserve", "cool-off"]
    table._on_msg(table, {"type": "open", "run_id": None}, [])
    await table.settled()
    assert table.timeline == {}


async def test_an_event_shows_as_the_runs_it_started(
    lab: inngest.Lab, client: inngest.Inngest, checkout: inngest.Function[str]
) -> None:
    [event_id] = await _checkouts(lab, client, checkout, 1)
    event = await lab.event(event_id)
    assert event is not None
    table = RunsTable(event=event)
    await table.loaded
    assert table.event["name"] == "shop/checkout"
    assert [r["fn_id"] for r in table.runs] == ["shop-checkout"]
    assert repr(table).startswith(f"Event shop/checkout {event_id}\nstatus")


async def test_rerunning_the_cell_that_made_a_table_closes_it(
    lab: inngest.Lab, client: inngest.Inngest, checkout: inngest.Function[str]
) -> None:
    await _checkouts(lab, client, checkout, 1)
    cells.pre_run_cell(SimpleNamespace(cell_id="cell-7"))  # what IPython calls before a cell runs
    table = RunsTable()
    await table.loaded
    assert lab.live.watchers() == 1

    cells.pre_run_cell(SimpleNamespace(cell_id="cell-3"))  # another cell: nothing to close
    assert lab.live.watchers() == 1
    cells.pre_run_cell(SimpleNamespace(cell_id="cell-7"))  # the same cell, run again
    assert lab.live.watchers() == 0
    assert table.comm is None  # closed
    cells.post_run_cell(None)
