"""The real inngest-py 0.5.19 SDK against the real server: sync, signed calls, Bearer auth, event keys."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tornado.netutil import bind_sockets

from inngest_lab.executor.app_sync import AppSyncer
from inngest_lab.executor.clock import SystemClock
from inngest_lab.executor.engine import Engine
from inngest_lab.executor.http_driver import HttpDriver
from inngest_lab.protocol.consts import RunStatus, ServerKind
from inngest_lab.server.app import ServerSettings
from inngest_lab.store.sqlite import SqliteStore
from tests.integration.server.conftest import EVENT_KEY, SIGNING_KEY, Serve

APP = Path(__file__).with_name("py_sdk_app.py")
StartSdk = Callable[[str, ServerKind, int], "subprocess.Popen[str]"]


def _free_port() -> int:
    sock = bind_sockets(0, "127.0.0.1")[0]
    port = int(sock.getsockname()[1])
    sock.close()
    return port


@pytest.fixture
def start_sdk() -> Iterator[StartSdk]:
    """Start ``py_sdk_app.py`` as a subprocess (killed at teardown)."""
    procs: list[subprocess.Popen[str]] = []

    def start(base_url: str, kind: ServerKind, port: int) -> subprocess.Popen[str]:
        argv = [sys.executable, str(APP), base_url, kind.value, str(port), SIGNING_KEY, EVENT_KEY]
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        procs.append(proc)
        return proc

    yield start
    for p in procs:
        p.kill()
        p.wait(5)


@pytest.mark.parametrize("kind", [ServerKind.DEV, ServerKind.CLOUD])
async def test_a_python_sdk_app_syncs_runs_steps_and_sends_events(
    kind: ServerKind, serve: Serve, tmp_path: Path, start_sdk: StartSdk
) -> None:
    cloud = kind is ServerKind.CLOUD
    http = HttpDriver(SIGNING_KEY if cloud else None)
    engine = Engine(SqliteStore(str(tmp_path / "db.sqlite3")), SystemClock(), {"http": http}, server_kind=kind)
    await engine.start()
    try:
        settings = ServerSettings(
            event_keys=[EVENT_KEY] if cloud else [], signing_keys=[SIGNING_KEY] if cloud else [], server_kind=kind
        )
        api = await serve(engine, settings)
        port = _free_port()
        proc = start_sdk(api.base_url, kind, port)
        assert proc.stdout is not None
        assert (await asyncio.to_thread(proc.stdout.readline)).strip() == "ready"

        syncer = AppSyncer(engine, http, urls=[f"http://127.0.0.1:{port}/api/inngest"], poll_interval_s=0)
        (state,) = await syncer.tick()
        assert state.ok, state.error
        key = EVENT_KEY if cloud else "any"
        sent = await api.call("POST", f"/e/{key}", json_body=[{"name": "app/hello", "data": {"x": 7}}])
        assert sent.status == 200
        (run,) = await engine.store.list_runs(event_id=sent.json["ids"][0])
        done = await engine.wait_for_run(run.run_id, timeout_s=20)
        assert done.status is RunStatus.COMPLETED
        assert done.output == "A17"
        assert [e.name for e in await engine.store.list_events(name="app/other")] == ["app/other"]
    finally:
        await engine.stop()
        await http.close()
