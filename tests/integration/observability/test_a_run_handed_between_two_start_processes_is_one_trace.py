"""Two real ``inngest-lab start`` processes on one Postgres + Redis, exporting to a real OTLP/HTTP collector: the
first runs a run's first step and stops while the run sleeps, the second finishes it. The collector receives
one tree, from two processes (two ``service.instance.id``), every span under the run's root span."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import aiohttp
import tornado.httpserver
import tornado.web
from tornado.netutil import bind_sockets

import inngest_lab as inngest
from inngest_lab.observability.context import trace_id_hex
from inngest_lab.sdk.tornado import serve as serve_sdk
from tests.integration.conftest import Process, poll
from tests.integration.observability.collector import Collector
from tests.services import free_port

SIGNING_KEY = "signkey-prod-" + "7c" * 32
EVENT_KEY = "relay-event-key"
BEARER = {"Authorization": f"Bearer {SIGNING_KEY}"}


def _server(name: str, tmp: Path, port: int, uris: tuple[str, str], otel: str, app_url: str) -> Process:
    argv = [sys.executable, "-m", "inngest_lab.cli", "start", "--port", str(port), "--queue-lease", "2"]
    argv += ["--postgres-uri", uris[0], "--redis-uri", uris[1], "--event-key", EVENT_KEY]
    argv += ["--signing-key", SIGNING_KEY, "-u", app_url, "--no-poll", "--poll-interval", "1"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INNGEST_", "OTEL_"))}
    env.update(OTEL_EXPORTER_OTLP_ENDPOINT=otel, OTEL_BSP_SCHEDULE_DELAY="100", PYTHONUNBUFFERED="1")
    return Process(name, argv, env, tmp / f"{name}.log")


async def _stop(process: Process) -> None:
    """SIGTERM and wait: a graceful stop flushes the process's spans."""
    assert process.proc is not None
    process.proc.send_signal(signal.SIGTERM)
    await asyncio.to_thread(process.proc.wait, 30)


async def test_two_start_processes_export_one_tree(
    tmp_path: Path, postgres_uri: str, redis_uri: str, collector: Collector
) -> None:
    first_done = asyncio.Event()
    app_port = free_port()
    ports = [free_port(), free_port()]
    client = inngest.Inngest(
        app_id="relay", is_production=True, signing_key=SIGNING_KEY, api_base_url=f"http://127.0.0.1:{ports[0]}"
    )

    def first() -> int:
        first_done.set()
        return 1

    @client.create_function(fn_id="relay", trigger=inngest.TriggerEvent(event="relay/go"))
    async def relay(ctx: inngest.Context) -> int:
        await ctx.step.run("first", first)
        await ctx.step.sleep("handover", 6_000)  # long enough for the second process to start
        return int(await ctx.step.run("second", lambda: 2))

    app = tornado.web.Application()
    serve_sdk(app, client, [relay])
    http = tornado.httpserver.HTTPServer(app)
    http.add_sockets(bind_sockets(app_port, "127.0.0.1"))
    app_url = f"http://127.0.0.1:{app_port}/api/inngest"
    servers = [
        _server(f"start-{i}", tmp_path, p, (postgres_uri, redis_uri), collector.url, app_url)
        for i, p in enumerate(ports)
    ]
    try:
        servers[0].start()
        base = f"http://127.0.0.1:{ports[0]}"
        async with aiohttp.ClientSession() as session:

            async def synced() -> bool | None:
                servers[0].check_alive()
                try:
                    async with session.get(f"{base}/lab/functions", headers=BEARER) as resp:
                        return True if resp.status == 200 and "relay-relay" in await resp.text() else None
                except aiohttp.ClientError:
                    return None

            await poll(synced, "the first process to sync the app")
            async with session.post(f"{base}/e/{EVENT_KEY}", json=[{"name": "relay/go"}]) as resp:
                [event_id] = (await resp.json())["ids"]
            try:
                await asyncio.wait_for(first_done.wait(), 60)
            except TimeoutError:
                raise AssertionError(f"the first step never ran\n{servers[0].log.read_text()[-3000:]}") from None
            servers[1].start()  # the second process starts while the first still owns the run
            await _stop(servers[0])  # graceful: the first step's result is committed, then the process exits
            other = f"http://127.0.0.1:{ports[1]}"

            async def ended() -> dict[str, object] | None:
                servers[1].check_alive()
                try:
                    async with session.get(f"{other}/v1/events/{event_id}/runs", headers=BEARER) as resp:
                        runs = (await resp.json()).get("data") or [] if resp.status == 200 else []
                except aiohttp.ClientError:
                    return None
                return runs[0] if runs and runs[0].get("status") == "Completed" else None

            run = await poll(ended, "the second process to finish the run", timeout=60)
        await _stop(servers[1])
    finally:
        for server in servers:
            server.kill()
        http.stop()

    spans = collector.trace(trace_id_hex(str(run["run_id"])))
    [root] = [s for s in spans if not s.parent_id]
    assert root.attributes["inngest.run.id"] == run["run_id"]
    assert all(s.parent_id == root.span_id for s in spans if s is not root)
    assert {"first", "second", "sleep handover"} <= {s.name for s in spans}
    assert len({s.instance for s in spans}) == 2, "both processes exported spans of the one tree"
    first_span = next(s for s in spans if s.name == "first")
    assert first_span.instance != root.instance, "the first process ran the first step, the second ended the run"
