"""Bulk cancellation cancels a function's unfinished runs created in a time range whose event matches ``if``,
in durable batches, records how many it cancelled, and leaves every other run alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import inngest_lab as inngest
from inngest_lab.engine import bulk_cancel
from inngest_lab.engine.model import HistoryKind
from inngest_lab.engine.operations import OperationError
from tests.cases.helpers import history


def napping(client: inngest.Inngest) -> inngest.Function[str]:
    @client.create_function(fn_id="nap", trigger=inngest.TriggerEvent(event="app/nap"))
    async def nap(ctx: inngest.Context) -> str:
        await ctx.step.sleep("nap", timedelta(days=1))
        return "woke"

    return nap


def at(lab: inngest.Lab) -> datetime:
    return datetime.fromtimestamp(lab.clock.now_ms() / 1000, tz=UTC)


async def test_only_runs_in_the_range_whose_event_matches_are_cancelled(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    lab.serve(client, [napping(client)])
    lab.send([{"name": "app/nap", "data": {"user": "early"}}])
    await lab.advance(minutes=10)
    start = at(lab)
    lab.send([{"name": "app/nap", "data": {"user": u}} for u in ("a", "b", "a")])
    await lab.advance(minutes=10)
    end = at(lab)
    lab.send([{"name": "app/nap", "data": {"user": "a"}}])  # created after the range
    await lab.idle()

    cancellation = await lab.cancel_runs(
        "app-nap", started_after=start, started_before=end, if_exp="event.data.user == 'a'"
    )
    await lab.idle()

    runs = await lab.runs(fn_id="app-nap")
    status = sorted((r.event["data"]["user"], r.status.value) for r in runs)
    assert status == [("a", "Cancelled"), ("a", "Cancelled"), ("a", "Running"), ("b", "Running"), ("early", "Running")]
    done = await lab.engine.ops.cancellation(cancellation.cancellation_id)
    assert (done.done, done.cancelled) == (True, 2)
    cancelled = next(r for r in runs if r.status is inngest.RunStatus.CANCELLED)
    [entry] = [h for h in await history(lab, cancelled.run_id) if h.kind is HistoryKind.RUN_CANCELLED]
    assert cancellation.cancellation_id in str(entry.data)


async def test_more_runs_than_one_batch_are_all_cancelled(lab: inngest.Lab, client: inngest.Inngest) -> None:
    lab.serve(client, [napping(client)])
    total = bulk_cancel.BATCH * 2 + 7
    lab.send([{"name": "app/nap", "data": {"i": i}} for i in range(total)])  # all in one millisecond
    await lab.advance(seconds=1)

    cancellation = await lab.cancel_runs("app-nap")
    await lab.idle()

    runs = await lab.runs(fn_id="app-nap", limit=1000)
    assert len(runs) == total
    assert {r.status for r in runs} == {inngest.RunStatus.CANCELLED}
    assert (await lab.engine.ops.cancellation(cancellation.cancellation_id)).cancelled == total


async def test_a_range_ending_in_the_future_is_rejected(lab: inngest.Lab, client: inngest.Inngest) -> None:
    lab.serve(client, [napping(client)])
    with pytest.raises(OperationError, match="started_before must be in the past"):
        await lab.cancel_runs("app-nap", started_before=at(lab) + timedelta(minutes=1))
