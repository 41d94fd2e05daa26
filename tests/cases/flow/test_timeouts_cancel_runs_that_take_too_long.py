"""``timeouts=Timeouts(start, finish)``: a run not started within ``start`` of being scheduled (e.g. waiting for
its throttle slot), or not finished within ``finish`` of starting, is cancelled with the reason recorded."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import inngest

import inngest_lab
from inngest_lab.engine.model import HistoryKind
from tests.cases.flow.official import official_function, register_official, statuses
from tests.cases.helpers import history


def _slow(client: inngest_lab.Inngest, steps: list[str]) -> inngest_lab.Function[Any]:
    @client.create_function(
        fn_id="slow",
        trigger=inngest_lab.TriggerEvent(event="job/run"),
        throttle=inngest_lab.Throttle(limit=1, period=timedelta(minutes=5), burst=None),
        timeouts=inngest_lab.Timeouts(start=timedelta(minutes=2), finish=timedelta(minutes=30)),
    )
    async def slow(ctx: inngest_lab.Context) -> str:
        await ctx.step.sleep("work", timedelta(minutes=int(ctx.event.data["minutes"])))
        await ctx.step.run("after", lambda: steps.append(str(ctx.event.data["minutes"])))
        return "done"

    return slow


def _job(minutes: int) -> dict[str, Any]:
    return {"name": "job/run", "data": {"minutes": minutes}}


async def _cancel_message(lab: inngest_lab.Lab, event_id: str) -> str:
    [run] = await lab.runs(event_id=event_id)
    [entry] = [e for e in await history(lab, run.run_id) if e.kind is HistoryKind.RUN_CANCELLED]
    return str(entry.data["error"]["message"])


async def test_a_run_waiting_past_its_start_timeout_is_cancelled(
    lab: inngest_lab.Lab, client: inngest_lab.Inngest
) -> None:
    steps: list[str] = []
    lab.serve(client, [_slow(client, steps)])
    first, waiting = lab.send([_job(1), _job(1)])  # the second waits 5 minutes for its throttle slot
    await lab.advance(minutes=2)

    assert await statuses(lab, [first, waiting]) == ["Completed", "Cancelled"]
    assert await _cancel_message(lab, waiting) == "timeouts.start: the run did not start within 120s"
    await lab.advance(minutes=10)
    assert steps == ["1"]


async def test_a_run_past_its_finish_timeout_is_cancelled_before_its_next_step(
    lab: inngest_lab.Lab, client: inngest_lab.Inngest
) -> None:
    steps: list[str] = []
    lab.serve(client, [_slow(client, steps)])
    [event_id] = lab.send(_job(45))
    await lab.advance(minutes=30)

    assert await statuses(lab, [event_id]) == ["Cancelled"]
    assert await _cancel_message(lab, event_id) == "timeouts.finish: the run did not finish within 1800s"
    await lab.advance(hours=1)
    assert steps == []


async def test_a_run_within_its_timeouts_completes(lab: inngest_lab.Lab, client: inngest_lab.Inngest) -> None:
    steps: list[str] = []
    lab.serve(client, [_slow(client, steps)])
    [event_id] = lab.send(_job(29))
    await lab.advance(hours=1)

    assert await statuses(lab, [event_id]) == ["Completed"]
    assert steps == ["29"]


async def test_timeouts_registered_by_the_official_python_sdk_are_enforced(
    lab: inngest_lab.Lab, client: inngest_lab.Inngest
) -> None:
    lab.serve(client, [_slow(client, [])])
    slow = official_function("slow", "job/run", timeouts=inngest.Timeouts(finish=timedelta(minutes=10)))
    [entry] = await register_official(lab, "app", [slow])
    assert entry["timeouts"] == {"finish": "10m"}

    sent = lab.send([_job(5), _job(15)])
    await lab.advance(minutes=10)
    assert await statuses(lab, sent) == ["Completed", "Cancelled"]
