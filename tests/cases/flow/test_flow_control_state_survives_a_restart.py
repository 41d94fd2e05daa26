"""Flow-control state and timers are durable: a Lab reopened on the same SQLite file keeps the rate-limit
window, the pending debounce and the batch buffer, and their timers fire on time."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import inngest_lab
from inngest_lab.executor.clock import FakeClock
from tests.cases.flow.official import statuses


def _functions(client: inngest_lab.Inngest, seen: list[str]) -> list[inngest_lab.Function[Any]]:
    @client.create_function(
        fn_id="limited",
        trigger=inngest_lab.TriggerEvent(event="app/limited"),
        rate_limit=inngest_lab.RateLimit(limit=1, period=timedelta(hours=1)),
    )
    async def limited(ctx: inngest_lab.Context) -> None:
        seen.append("limited")

    @client.create_function(
        fn_id="debounced",
        trigger=inngest_lab.TriggerEvent(event="app/debounced"),
        debounce=inngest_lab.Debounce(period=timedelta(minutes=5)),
    )
    async def debounced(ctx: inngest_lab.Context) -> None:
        seen.append(f"debounced:{ctx.event.data['n']}")

    @client.create_function(
        fn_id="batched",
        trigger=inngest_lab.TriggerEvent(event="app/batched"),
        batch_events=inngest_lab.Batch(max_size=10, timeout=timedelta(seconds=30)),
    )
    async def batched(ctx: inngest_lab.Context) -> None:
        seen.append(f"batched:{len(ctx.events)}")

    return [limited, debounced, batched]


async def test_state_and_timers_survive_closing_and_reopening_the_lab(tmp_path: Path) -> None:
    clock = FakeClock()
    seen: list[str] = []
    first = inngest_lab.Lab(tmp_path / "lab.db", clock=clock)
    await first.start()
    client = inngest_lab.Inngest(app_id="app", is_production=False)
    first.serve(client, _functions(client, seen))
    [limited] = first.send({"name": "app/limited", "data": {}})
    first.send([{"name": "app/debounced", "data": {"n": 1}}, {"name": "app/debounced", "data": {"n": 2}}])
    first.send([{"name": "app/batched", "data": {}}, {"name": "app/batched", "data": {}}])
    await first.idle()
    await first.close()
    assert seen == ["limited"]

    second = inngest_lab.Lab(tmp_path / "lab.db", clock=clock)
    await second.start()
    try:
        client = inngest_lab.Inngest(app_id="app", is_production=False)
        second.serve(client, _functions(client, seen))
        [again] = second.send({"name": "app/limited", "data": {}})
        assert await statuses(second, [limited, again]) == ["Completed", "Skipped"]
        await second.advance(minutes=5)
        assert sorted(seen) == ["batched:2", "debounced:2", "limited"]
    finally:
        await second.close()
