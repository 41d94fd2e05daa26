"""Every call to an SDK app carries a W3C ``traceparent`` whose trace id is the run's and whose parent span is
the call's own span: the official Python SDK's app receives it, and our SDK continues it (the function sees it
as its current trace context)."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import tornado.httpserver
import tornado.web
from tornado.netutil import bind_sockets

import inngest_lab as inngest
from inngest_lab.executor.app_sync import AppSyncer
from inngest_lab.executor.clock import SystemClock
from inngest_lab.executor.engine import Engine
from inngest_lab.executor.http_driver import HttpDriver
from inngest_lab.observability.context import trace_id_hex
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.sdk.tornado import serve as serve_ours
from inngest_lab.sdk.trace_context import current_traceparent
from inngest_lab.store.sqlite import SqliteStore
from tests.integration.server.conftest import Serve

OFFICIAL_APP = Path(__file__).with_name("traceparent_py_app.py")
TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-01$")


def _free_port() -> int:
    sock = bind_sockets(0, "127.0.0.1")[0]
    port = int(sock.getsockname()[1])
    sock.close()
    return port


def _start(argv: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[tuple[Engine, HttpDriver]]:
    http = HttpDriver()
    eng = Engine(SqliteStore(str(tmp_path / "db.sqlite3")), SystemClock(), {"http": http}, workers=4)
    await eng.start()
    yield eng, http
    await eng.stop()
    await http.close()


async def test_the_official_python_sdk_app_receives_the_runs_traceparent(
    engine: tuple[Engine, HttpDriver], serve: Serve
) -> None:
    eng, http = engine
    api = await serve(eng)
    port = _free_port()
    argv = [sys.executable, str(OFFICIAL_APP), api.base_url, str(port)]
    proc = _start(argv)
    try:
        assert proc.stdout is not None
        assert (await asyncio.to_thread(proc.stdout.readline)).strip() == "ready"
        (state,) = await AppSyncer(eng, http, urls=[f"http://127.0.0.1:{port}/api/inngest"], poll_interval_s=0).tick()
        assert state.ok, state.error
        [event_id] = await eng.send([{"name": "official/traced", "data": {}}])
        (run,) = await eng.store.list_runs(event_id=event_id)
        assert (await eng.wait_for_run(run.run_id, timeout_s=20)).status is RunStatus.COMPLETED
        headers = []
        for _ in range(2):  # the step's call, then the call that returns the output
            line = (await asyncio.wait_for(asyncio.to_thread(proc.stdout.readline), 10)).split()
            headers.append(line[1])
    finally:
        proc.kill()
        proc.wait(5)

    matches = [TRACEPARENT.match(h) for h in headers]
    assert all(matches), headers
    assert {m.group(1) for m in matches if m} == {trace_id_hex(run.run_id)}, "one trace: the run's"
    assert len({m.group(2) for m in matches if m}) == 2, "each call is its own parent span"


async def test_our_sdk_continues_the_traceparent_it_receives(engine: tuple[Engine, HttpDriver], serve: Serve) -> None:
    eng, http = engine
    api = await serve(eng)
    client = inngest.Inngest(app_id="ours", is_production=False, api_base_url=api.base_url)

    @client.create_function(fn_id="traced", trigger=inngest.TriggerEvent(event="ours/traced"))
    async def traced(ctx: inngest.Context) -> str | None:
        return current_traceparent()

    app = tornado.web.Application()
    serve_ours(app, client, [traced])
    sockets = bind_sockets(0, "127.0.0.1")
    server = tornado.httpserver.HTTPServer(app)
    server.add_sockets(sockets)
    try:
        url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/api/inngest"
        (state,) = await AppSyncer(eng, http, urls=[url], poll_interval_s=0).tick()
        assert state.ok, state.error
        [event_id] = await eng.send([{"name": "ours/traced", "data": {}}])
        (run,) = await eng.store.list_runs(event_id=event_id)
        done = await eng.wait_for_run(run.run_id, timeout_s=20)
    finally:
        server.stop()

    assert done.status is RunStatus.COMPLETED
    match = TRACEPARENT.match(str(done.output))
    assert match is not None, done.output
    assert match.group(1) == trace_id_hex(run.run_id)
