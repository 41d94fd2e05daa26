"""An embedded engine (fake clock, SQLite) with this process's metrics and a tracer exporting to a real
OTLP/HTTP collector on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import inngest_lab as inngest
from inngest_lab.observability.metrics import Metrics
from inngest_lab.observability.telemetry import Telemetry
from tests.integration.observability.collector import Collector, start_collector
from tests.integration.server.conftest import dev_api, engine, serve  # noqa: F401 - fixtures for these tests too


@pytest.fixture
async def collector() -> AsyncIterator[Collector]:
    found = start_collector()
    yield found
    assert found.server is not None
    found.server.stop()


@pytest.fixture
def otel_env(collector: Collector, monkeypatch: pytest.MonkeyPatch) -> str:
    """The standard variables pointing at the collector: the endpoint is a base URL (``/v1/traces`` is added)."""
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.url)
    monkeypatch.setenv("OTEL_SERVICE_NAME", "lab-under-test")
    monkeypatch.setenv("OTEL_BSP_SCHEDULE_DELAY", "50")
    return collector.url


async def flush(telemetry: Telemetry) -> None:
    """Wait for pending run exports, then push everything buffered to the collector (a thread: the collector
    answers on this loop)."""
    await asyncio.sleep(0)
    await asyncio.gather(*list(telemetry._exports))
    if telemetry.tracer is not None:
        assert await asyncio.to_thread(telemetry.tracer.force_flush)


@pytest.fixture
async def observed_lab(tmp_path: Path, otel_env: str) -> AsyncIterator[inngest.Lab]:
    lab = inngest.Lab(tmp_path / "lab.db", fake_clock=True)
    assert lab.engine.telemetry is not None and lab.engine.telemetry.tracer is not None, "OTEL_* configure tracing"
    lab.engine.telemetry = Telemetry(Metrics("test-process"), lab.engine.telemetry.tracer)
    await lab.start()
    try:
        yield lab
    finally:
        await lab.close()
        await lab.engine.telemetry.close()
