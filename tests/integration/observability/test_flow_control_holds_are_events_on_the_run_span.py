"""A run that throttling holds back gets a ``flow_control.run.throttled`` event on its run span (with when its
slot comes), and the hold is counted by reason in ``inngest_lab_flow_control_waits_total``."""

from __future__ import annotations

from datetime import timedelta

import inngest_lab as inngest
from inngest_lab.observability.context import trace_id_hex
from tests.integration.observability.collector import Collector
from tests.integration.observability.conftest import flush


async def test_a_throttled_run_carries_the_hold_as_a_span_event(
    observed_lab: inngest.Lab, collector: Collector
) -> None:
    lab = observed_lab
    client = inngest.Inngest(app_id="billing", is_production=False)

    @client.create_function(
        fn_id="charge",
        trigger=inngest.TriggerEvent(event="billing/charge"),
        throttle=inngest.Throttle(limit=1, period=timedelta(minutes=1), burst=None),
    )
    async def charge(ctx: inngest.Context) -> str:
        return str(await ctx.step.run("charge", lambda: "ok"))

    lab.serve(client, [charge])
    first, second = lab.send([{"name": "billing/charge", "data": {"n": n}} for n in (1, 2)])
    await lab.advance(minutes=5)
    [run_1] = await lab.wait(first)
    [run_2] = await lab.wait(second)
    telemetry = lab.engine.telemetry
    assert telemetry is not None and telemetry.metrics is not None
    await flush(telemetry)

    roots = {
        run.run_id: next(s for s in collector.trace(trace_id_hex(run.run_id)) if not s.parent_id)
        for run in (run_1, run_2)
    }
    held = [r for r in roots.values() if any(name == "flow_control.run.throttled" for name, _ in r.events)]
    assert len(held) == 1, "one of the two runs waited for its throttle slot"
    [(_, attributes)] = [(n, a) for n, a in held[0].events if n == "flow_control.run.throttled"]
    assert "until_ms" in attributes
    counted = telemetry.metrics.flow_control.labels("billing-charge", "throttle")._value.get()
    assert counted == 1
