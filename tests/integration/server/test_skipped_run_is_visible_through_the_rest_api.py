"""A Skipped run shows in ``GET /v1/runs/{id}`` and ``/v1/events/{id}/runs`` with its ``skip_reason``."""

from __future__ import annotations

from inngest_lab.engine.flow.skip import skip_run
from inngest_lab.engine.ingest import RunPlan
from inngest_lab.engine.model import EventRecord, HistoryKind, StoreEvent
from inngest_lab.executor.engine import Engine
from inngest_lab.protocol.consts import RunStatus, SkipReason
from tests.integration.server.conftest import Api, FakeSdk, register_body


async def test_skipped_run_is_listed_with_its_reason(dev_api: Api, engine: Engine, fake_sdk: FakeSdk) -> None:
    assert (await dev_api.call("POST", "/fn/register", json_body=register_body(fake_sdk.url))).status == 200
    fn = engine.function("my-app-child")
    assert fn is not None
    event = EventRecord("01JEVENT0000000000000000000", {"id": "e-1", "name": "app/child", "data": {}, "ts": 1}, 1)
    now = engine.clock.now_ms()
    commands = skip_run(RunPlan(fn, (event,)), now, "run-skipped", SkipReason.SINGLETON, {"existing_run_id": "r0"})
    await engine.store.apply([StoreEvent(event), *commands])

    run = (await dev_api.call("GET", "/v1/runs/run-skipped")).json["data"]
    assert run["status"] == "Skipped"
    assert run["skip_reason"] == "Singleton"
    assert run["output"] == {"existing_run_id": "r0"}
    assert run["ended_at"] is not None
    listed = (await dev_api.call("GET", f"/v1/events/{event.internal_id}/runs")).json["data"]
    assert [(r["run_id"], r["skip_reason"]) for r in listed] == [("run-skipped", "Singleton")]
    assert [r.run_id for r in await engine.store.list_runs(status=[RunStatus.SKIPPED])] == ["run-skipped"]
    [entry] = await engine.store.history("run-skipped")
    assert entry.kind is HistoryKind.RUN_SKIPPED and entry.data["reason"] == "Singleton"
    assert fake_sdk.calls == []  # a skipped run never calls the SDK
