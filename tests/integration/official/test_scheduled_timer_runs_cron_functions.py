"""Cron triggers: each tick runs the function with an ``inngest/scheduled.timer`` event (protocol doc section 9).

Time is real here (see ``harness.py``), and the apps' cron is ``* * * * *``: the first tick after the stack
synced arrives within a minute, so this waits at most that long, once per session (every SDK and mode share it).
"""

from __future__ import annotations

from typing import Any

from tests.integration.conftest import poll
from tests.integration.official.harness import Target

TICK_WAIT_S = 75.0


async def test_every_minute_the_cron_function_runs_with_a_scheduled_timer_event(target: Target) -> None:
    async def cron_run() -> dict[str, Any] | None:
        for event in await target.data("/v1/events?name=inngest/scheduled.timer&limit=100"):
            for run in await target.data(f"/v1/events/{event['internal_id']}/runs"):
                if run["function_id"] == target.fn("cron") and run["status"] == "Completed":
                    return {"event": event, "run": run}
        return None

    found = await poll(cron_run, f"a completed run of {target.fn('cron')}", timeout=TICK_WAIT_S)

    event, run = found["event"], found["run"]
    assert run["output"] == {"name": "inngest/scheduled.timer", "cron": "* * * * *"}
    assert event["data"]["cron"] == "* * * * *"
    assert event["id"] == event["data"]["scheduledAt"], "the tick's RFC 3339 time is the event id"
