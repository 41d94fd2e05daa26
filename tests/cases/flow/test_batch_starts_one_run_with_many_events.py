"""``batch_events=Batch(max_size, timeout, key, if_exp)``: events are collected into one run (``ctx.events``),
started when the batch is full or ``timeout`` after its first event; events failing ``if`` run alone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import inngest

import inngest_lab
from inngest_lab.engine.model import HistoryKind
from tests.cases.flow.official import official_function, register_official
from tests.cases.helpers import history


def _ingest(
    client: inngest_lab.Inngest, batches: list[list[int]], key: str | None = None, if_exp: str | None = None
) -> inngest_lab.Function[Any]:
    @client.create_function(
        fn_id="ingest",
        trigger=inngest_lab.TriggerEvent(event="log/line"),
        batch_events=inngest_lab.Batch(max_size=3, timeout=timedelta(seconds=10), key=key, if_exp=if_exp),
    )
    async def ingest(ctx: inngest_lab.Context) -> int:
        batches.append([int(e.data["n"]) for e in ctx.events])
        assert ctx.event.data == ctx.events[0].data
        return len(ctx.events)

    return ingest


def _line(n: int, **data: Any) -> dict[str, Any]:
    return {"name": "log/line", "data": {"n": n, **data}}


async def test_a_full_batch_starts_at_once_with_every_event(lab: inngest_lab.Lab, client: inngest_lab.Inngest) -> None:
    batches: list[list[int]] = []
    lab.serve(client, [_ingest(client, batches)])
    sent = lab.send([_line(1), _line(2), _line(3), _line(4)])
    await lab.idle()

    assert batches == [[1, 2, 3]]
    [run] = await lab.runs()
    assert run.event_ids == tuple(sent[:3]) and run.output == 3
    batched = [e for e in await history(lab, run.run_id) if e.kind is HistoryKind.RUN_BATCHED]
    assert [(e.data["trigger"], e.data["size"]) for e in batched] == [("max_size", 3)]


async def test_a_partial_batch_starts_when_its_timeout_elapses(
    lab: inngest_lab.Lab, client: inngest_lab.Inngest
) -> None:
    batches: list[list[int]] = []
    lab.serve(client, [_ingest(client, batches)])
    lab.send(_line(1))
    await lab.advance(seconds=5)
    lab.send(_line(2))
    await lab.advance(seconds=4, milliseconds=999)
    assert batches == []
    await lab.advance(milliseconds=1)  # 10s after the batch's first event

    assert batches == [[1, 2]]
    [run] = await lab.runs()
    batched = [e for e in await history(lab, run.run_id) if e.kind is HistoryKind.RUN_BATCHED]
    assert [e.data["trigger"] for e in batched] == ["timeout"]


async def test_events_failing_the_if_expression_run_alone_at_once(
    lab: inngest_lab.Lab, client: inngest_lab.Inngest
) -> None:
    batches: list[list[int]] = []
    lab.serve(client, [_ingest(client, batches, if_exp="event.data.bulk == true")])
    lab.send([_line(1, bulk=True), _line(2, bulk=False), _line(3, bulk=True), _line(4)])
    await lab.idle()
    assert sorted(batches) == [[2], [4]]  # two runs started together: either may call first

    await lab.advance(seconds=10)
    assert sorted(batches[:2]) == [[2], [4]]
    assert batches[2:] == [[1, 3]]


async def test_each_key_collects_its_own_batch(lab: inngest_lab.Lab, client: inngest_lab.Inngest) -> None:
    batches: list[list[int]] = []
    lab.serve(client, [_ingest(client, batches, key="event.data.host")])
    lab.send([_line(n, host="a" if n % 2 else "b") for n in range(1, 7)])
    await lab.idle()

    assert sorted(batches) == [[1, 3, 5], [2, 4, 6]]


async def test_batching_registered_by_the_official_python_sdk_is_enforced(
    lab: inngest_lab.Lab, client: inngest_lab.Inngest
) -> None:
    batches: list[list[int]] = []
    lab.serve(client, [_ingest(client, batches)])
    ingest = official_function(
        "ingest", "log/line", batch_events=inngest.Batch(max_size=2, timeout=timedelta(seconds=5))
    )
    [entry] = await register_official(lab, "app", [ingest])
    assert entry["batchEvents"] == {"maxSize": 2, "timeout": "5s"}

    lab.send([_line(1), _line(2), _line(3)])
    await lab.idle()
    assert batches == [[1, 2]]
    await lab.advance(seconds=5)
    assert batches == [[1, 2], [3]]
