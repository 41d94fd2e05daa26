"""``GET /metrics`` parses as Prometheus text, needs the REST API's Bearer token when keys are set, and its
counters move by exactly the runs and steps a scenario produced."""

from __future__ import annotations

from collections.abc import Iterator

import aiohttp
from prometheus_client.parser import text_string_to_metric_families
from tornado.netutil import bind_sockets

import inngest_lab as inngest
from inngest_lab.engine.model import HistoryKind
from inngest_lab.observability.http import OBS_KEY, Observability
from inngest_lab.protocol.consts import ServerKind
from inngest_lab.server.app import ServerSettings, make_app, start_server

SIGNING_KEY = "signkey-test-" + "ab" * 16


def _samples(text: str) -> Iterator[tuple[str, dict[str, str], float]]:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            yield sample.name, dict(sample.labels), sample.value


def _value(text: str, name: str, **labels: str) -> float:
    return sum(v for n, ls, v in _samples(text) if n == name and all(ls.get(k) == x for k, x in labels.items()))


async def test_counters_move_by_exactly_the_runs_and_steps_of_the_scenario(observed_lab: inngest.Lab) -> None:
    lab = observed_lab
    client = inngest.Inngest(app_id="shop", is_production=False)

    @client.create_function(fn_id="order", trigger=inngest.TriggerEvent(event="shop/order"))
    async def order(ctx: inngest.Context) -> str:
        await ctx.step.run("reserve", lambda: "ok")
        await ctx.step.sleep("cool-off", 60_000)
        return str(await ctx.step.run("charge", lambda: "paid"))

    def explode() -> None:
        raise RuntimeError("card declined")

    @client.create_function(fn_id="refund", trigger=inngest.TriggerEvent(event="shop/refund"), retries=1)
    async def refund(ctx: inngest.Context) -> None:
        await ctx.step.run("call-bank", explode)

    lab.serve(client, [order, refund])
    settings = ServerSettings(signing_keys=[SIGNING_KEY], event_keys=["k"], server_kind=ServerKind.CLOUD)
    app = make_app(lab.engine, settings)
    assert lab.engine.telemetry is not None
    app.settings[OBS_KEY] = Observability(lab.engine.telemetry, "test-process", retention_ms=30 * 86_400_000)
    sockets = bind_sockets(0, "127.0.0.1")
    server = start_server(app, settings, sockets=sockets)
    url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}"

    async def scrape(session: aiohttp.ClientSession) -> str:
        async with session.get(f"{url}/metrics", headers={"Authorization": f"Bearer {SIGNING_KEY}"}) as resp:
            assert resp.status == 200
            assert resp.headers["Content-Type"].startswith("text/plain; version=0.0.4")
            return await resp.text()

    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{url}/metrics") as resp:
                assert resp.status == 401, "the REST API's credentials are required"
            before = await scrape(session)
            lab.send([{"name": "shop/order", "data": {"n": i}} for i in range(3)])
            lab.send({"name": "shop/refund", "data": {}})
            await lab.idle()
            mid = await scrape(session)
            assert _value(mid, "inngest_lab_pauses_pending") == 0
            assert _value(mid, "inngest_lab_queue_depth") == 4, "three sleep timers and the refund's retry"
            await lab.advance(hours=2)
            after = await scrape(session)
            async with session.get(
                f"{url}/lab/metrics/series?minutes=180", headers={"Authorization": f"Bearer {SIGNING_KEY}"}
            ) as resp:
                series = (await resp.json())["data"]
    finally:
        server.stop()

    def moved(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert moved("inngest_lab_runs_started_total", function="shop-order") == 3
    assert moved("inngest_lab_runs_ended_total", function="shop-order", status="completed") == 3
    assert moved("inngest_lab_runs_started_total", function="shop-refund") == 1
    assert moved("inngest_lab_runs_ended_total", function="shop-refund", status="failed") == 1
    assert moved("inngest_lab_steps_total", function="shop-order", status="completed") == 6
    assert moved("inngest_lab_steps_total", function="shop-refund", status="errored") == 1
    assert moved("inngest_lab_steps_total", function="shop-refund", status="failed") == 1
    assert moved("inngest_lab_step_duration_seconds_count", function="shop-order") == 6
    assert moved("inngest_lab_sdk_call_errors_total", function="shop-refund") == 1, "the retried error is a 206 op"
    assert _value(after, "inngest_lab_queue_delay_seconds_count") > 0
    for op in ("transact", "ingest", "lease"):
        assert _value(after, "inngest_lab_store_transaction_seconds_count", op=op) > 0, op
    assert _value(after, "inngest_lab_metrics_reporter") == 1
    assert _value(after, "inngest_lab_queue_depth") == 0

    # the counts agree with what the store recorded
    runs = await lab.runs()
    histories = [await lab.history(r.run_id) for r in runs]
    completed_steps = sum(e.kind is HistoryKind.STEP_COMPLETED for h in histories for e in h)
    assert moved("inngest_lab_steps_total", status="completed") == completed_steps

    assert series["retention"] == "30d"
    assert sum(b["completed"] for b in series["buckets"]) == 3
    assert sum(b["failed"] for b in series["buckets"]) == 1
    assert any(b["step_p99_ms"] is not None for b in series["buckets"])
