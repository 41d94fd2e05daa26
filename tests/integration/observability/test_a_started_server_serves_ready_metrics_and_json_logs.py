"""``inngest-lab start`` as operators run it: ``/ready`` beside ``/health``, ``/metrics`` behind the Bearer token
on the API port and open on ``--metrics-port``, JSON log lines without secrets; ``/ready`` says 503 when the
stores are gone; bad observability flags exit 2 with the reason."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from tornado.netutil import bind_sockets

from inngest_lab.cli import main
from inngest_lab.protocol.signing import hashed_signing_key, strip_key_prefix
from tests.integration.observability.collector import Collector
from tests.integration.server.conftest import Api

SIGNING_KEY = "signkey-prod-" + "5e" * 32
EVENT_KEY = "observed-event-key"


def _free_port() -> int:
    sock = bind_sockets(0, "127.0.0.1")[0]
    port = int(sock.getsockname()[1])
    sock.close()
    return port


def _start(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)


async def _until_up(session: aiohttp.ClientSession, url: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        assert proc.poll() is None, "the server exited"
        try:
            async with session.get(url) as resp:
                if resp.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.05)
    raise AssertionError("the server did not come up")


async def test_start_serves_ready_and_metrics_and_logs_json(tmp_path: Path, collector: Collector) -> None:
    port, metrics_port = _free_port(), _free_port()
    argv = [sys.executable, "-m", "inngest_lab.cli", "start", "--port", str(port), "--metrics-port", str(metrics_port)]
    argv += ["--sqlite-dir", str(tmp_path / "db"), "--event-key", EVENT_KEY, "--signing-key", SIGNING_KEY, "-v"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INNGEST_", "OTEL_"))}
    env.update(OTEL_EXPORTER_OTLP_ENDPOINT=collector.url, INNGEST_LOG_LEVEL="debug")
    log = tmp_path / "server.log"
    proc = _start(argv, env, log)
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            await _until_up(session, f"{base}/health", proc)
            async with session.get(f"{base}/ready") as resp:
                assert (resp.status, await resp.json()) == (200, {"status": 200, "message": "ready"})
            async with session.get(f"{base}/metrics") as resp:
                assert resp.status == 401
            bearer = {"Authorization": f"Bearer {SIGNING_KEY}"}
            async with session.get(f"{base}/metrics", headers=bearer) as resp:
                assert resp.status == 200
            async with session.post(f"{base}/e/{EVENT_KEY}", json=[{"name": "nobody/listens"}]) as resp:
                assert resp.status == 200
            async with session.get(f"http://127.0.0.1:{metrics_port}/metrics") as resp:
                assert resp.status == 200, "the metrics port needs no credentials"
                names = {f.name for f in text_string_to_metric_families(await resp.text())}
            async with session.get(
                f"http://127.0.0.1:{metrics_port}/metrics", headers={"Accept": "application/openmetrics-text"}
            ) as resp:
                assert resp.headers["Content-Type"].startswith("application/openmetrics-text")
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.to_thread(proc.wait, 20)

    assert {"inngest_lab_queue_depth", "inngest_lab_runs_started", "inngest_lab_step_duration_seconds"} <= names
    lines = log.read_text().splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]
    assert records, "start logs JSON by default"
    assert any(r["logger"] == "inngest_lab.server.access" and "POST /e/***" in r["msg"] for r in records)
    assert all({"time", "level", "logger", "msg"} <= r.keys() for r in records)
    text = log.read_text()
    for secret in (EVENT_KEY, strip_key_prefix(SIGNING_KEY), hashed_signing_key(SIGNING_KEY)):
        assert secret not in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["dev", "--log-level", "loud"], "unknown log level 'loud'"),
        (["dev", "--retention", "a month"], "not a duration like 30d"),
        (["dev", "--metrics-port", "70000"], "--metrics-port must be between 0 and 65535"),
    ],
)
def test_bad_observability_flags_exit_2_with_the_reason(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


async def test_ready_is_503_when_the_store_is_gone(dev_api: Api) -> None:
    assert (await dev_api.call("GET", "/ready")).status == 200
    await dev_api.engine.store.close()

    reply = await dev_api.call("GET", "/ready")

    assert reply.status == 503
    assert reply.json["code"] == "unavailable" and "stores not reachable" in reply.json["error"]
