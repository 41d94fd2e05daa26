"""``inngest_lab_flow_control_waiting{reason}`` in ``/metrics``: runs of a concurrency-limited function sent at
once are counted while they wait for the slot and not after; a debounced event is counted until its run starts."""

from __future__ import annotations

import asyncio

import aiohttp
from prometheus_client.parser import text_string_to_metric_families
from tornado.netutil import bind_sockets

import inngest_lab as inngest
from inngest_lab.observability.http import OBS_KEY, Observability
from inngest_lab.protocol.consts import ServerKind
from inngest_lab.server.app import ServerSettings, make_app, start_server

SIGNING_KEY = "signkey-test-" + "cd" * 16
RUNS = 5


def _waiting(text: str) -> dict[str, float]:
    [family] = [f for f in text_string_to_metric_families(text) if f.name == "inngest_lab_flow_control_waiting"]
    assert family.type == "gauge"
    return {s.labels["reason"]: s.value for s in family.samples}


async def test_runs_held_by_a_concurrency_limit_are_counted_while_they_wait(observed_lab: inngest.Lab) -> None:
    lab = observed_lab
    client = inngest.Inngest(app_id="shop", is_production=False)
    gate = asyncio.Event()
    running = 0

    @client.create_function(
        fn_id="pack",
        trigger=inngest.TriggerEvent(event="shop/pack"),
        concurrency=inngest.Concurrency(limit=1),
    )
    async def pack(ctx: inngest.Context) -> str:
        nonlocal running
        running += 1
        await gate.wait()
        return "packed"

    @client.create_function(
        fn_id="notify",
        trigger=inngest.TriggerEvent(event="shop/notify"),
        debounce=inngest.Debounce(period=60_000),
    )
    async def notify(ctx: inngest.Context) -> str:
        return "sent"

    lab.serve(client, [pack, notify])
    settings = ServerSettings(signing_keys=[SIGNING_KEY], event_keys=["k"], server_kind=ServerKind.CLOUD)
    app = make_app(lab.engine, settings)
    assert lab.engine.telemetry is not None
    app.settings[OBS_KEY] = Observability(lab.engine.telemetry, "test-process")
    sockets = bind_sockets(0, "127.0.0.1")
    server = start_server(app, settings, sockets=sockets)
    url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/metrics"

    try:
        async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {SIGNING_KEY}"}) as session:

            async def scrape() -> dict[str, float]:
                async with session.get(url) as resp:
                    assert resp.status == 200
                    return _waiting(await resp.text())

            assert await scrape() == {"concurrency": 0, "throttle": 0, "debounce": 0, "batch": 0}
            lab.send([{"name": "shop/pack", "data": {"n": i}} for i in range(RUNS)])
            lab.send({"name": "shop/notify", "data": {}})
            expected = {"concurrency": RUNS - 1, "throttle": 0, "debounce": 1, "batch": 0}
            waiting = await scrape()
            for _ in range(500):  # the sends are ingested, and the workers try every run, in the background
                if running == 1 and waiting == expected:
                    break
                await asyncio.sleep(0.01)
                waiting = await scrape()
            assert (running, waiting) == (1, expected)

            gate.set()
            await lab.idle()
            await lab.advance(minutes=2)
            after = await scrape()
    finally:
        gate.set()  # a failed assertion must not leave a run blocked: closing the Lab waits for it
        server.stop()

    assert after == {"concurrency": 0, "throttle": 0, "debounce": 0, "batch": 0}
    runs = await lab.runs()
    assert (
        sorted((r.fn_id, r.status.value) for r in runs)
        == [("shop-notify", "Completed")] + [("shop-pack", "Completed")] * RUNS
    )
