"""Operator actions over real HTTP: pause/resume, bulk cancellation, rerun (from a step) and replay, with clear
400/404 answers for bad requests."""

from __future__ import annotations

import asyncio

from inngest_lab.engine.model import Run
from inngest_lab.executor.engine import Engine
from inngest_lab.protocol.consts import RunStatus
from tests.integration.server.conftest import Api, FakeSdk, register_body

FN = "my-app-child"


async def registered(api: Api, sdk: FakeSdk) -> None:
    assert (await api.call("POST", "/fn/register", json_body=register_body(sdk.url))).status == 200


async def send(api: Api, data: dict[str, object]) -> str:
    reply = await api.call("POST", "/e/dev", json_body={"name": "app/child", "data": data})
    [event_id] = reply.json["ids"]
    return str(event_id)


async def runs_of(engine: Engine, event_id: str) -> list[Run]:
    for _ in range(200):
        runs = await engine.store.list_runs(event_id=event_id)
        if runs and all(r.status.is_terminal for r in runs):
            return runs
        await asyncio.sleep(0.01)
    raise AssertionError(f"no finished run for {event_id}")


async def test_pause_and_resume_over_http(dev_api: Api, engine: Engine, fake_sdk: FakeSdk) -> None:
    await registered(dev_api, fake_sdk)
    paused = await dev_api.call("POST", f"/v1/functions/{FN}/pause")
    assert paused.status == 200
    assert paused.json["data"]["paused"] is True and paused.json["data"]["paused_at"].endswith("Z")
    assert (await dev_api.call("GET", f"/v1/functions/{FN}/pause")).json["data"]["paused"] is True

    [skipped] = await runs_of(engine, await send(dev_api, {}))
    assert skipped.status is RunStatus.SKIPPED
    run = (await dev_api.call("GET", f"/v1/runs/{skipped.run_id}")).json["data"]
    assert run["skip_reason"] == "FunctionPaused"

    resumed = await dev_api.call("POST", f"/v1/functions/{FN}/resume")
    assert resumed.json["data"] == {"function_id": FN, "paused": False, "paused_at": None}
    [ran] = await runs_of(engine, await send(dev_api, {}))
    assert ran.status is RunStatus.COMPLETED

    assert (await dev_api.call("POST", "/v1/functions/nope/pause")).status == 404
    bad = await dev_api.call("POST", f"/v1/functions/{FN}/pause", json_body={"cancel_running": "yes"})
    assert (bad.status, bad.json["error"]) == (400, "cancel_running must be a boolean")


async def test_bulk_cancellation_over_http(dev_api: Api, engine: Engine, fake_sdk: FakeSdk) -> None:
    await registered(dev_api, fake_sdk)
    fake_sdk.reply_status, fake_sdk.reply_body = 206, b'[{"id":"s1","op":"Sleep","name":"s","opts":{"duration":"1h"}}]'
    await send(dev_api, {"user": "a"})
    await send(dev_api, {"user": "b"})
    for _ in range(200):
        if len(await engine.store.list_runs(fn_id=FN, status=[RunStatus.RUNNING])) == 2:
            break
        await asyncio.sleep(0.01)
    body = {
        "app_id": "my-app",
        "function_id": "child",
        "started_after": "2020-01-01T00:00:00Z",
        "started_before": "2099-01-01T00:00:00Z",
    }
    future = await dev_api.call("POST", "/v1/cancellations", json_body=body)
    assert (future.status, future.json["error"]) == (400, "started_before must be in the past")

    body["started_before"] = engine.clock.now_ms()  # type: ignore[assignment]
    body["if"] = "event.data.user == 'a'"
    created = await dev_api.call("POST", "/v1/cancellations", json_body=body)
    assert created.status == 200
    cancellation = created.json["data"]
    assert {k: cancellation[k] for k in ("environment_id", "function_id", "if")} == {
        "environment_id": "local",
        "function_id": "child",
        "if": "event.data.user == 'a'",
    }
    for _ in range(200):
        got = (await dev_api.call("GET", f"/v1/cancellations/{cancellation['id']}")).json["data"]
        if got["done"]:
            break
        await asyncio.sleep(0.01)
    assert got["cancelled"] == 1
    statuses = sorted((r.event["data"]["user"], r.status.value) for r in await engine.store.list_runs(fn_id=FN))
    assert statuses == [("a", "Cancelled"), ("b", "Running")]
    assert [c["id"] for c in (await dev_api.call("GET", "/v1/cancellations")).json["data"]] == [cancellation["id"]]
    assert (await dev_api.call("DELETE", f"/v1/cancellations/{cancellation['id']}")).json["data"] == {"ok": True}
    assert (await dev_api.call("GET", f"/v1/cancellations/{cancellation['id']}")).status == 404

    bad_if = await dev_api.call("POST", "/v1/cancellations", json_body={**body, "if": "event.data.user =="})
    assert bad_if.status == 400 and "invalid expression" in bad_if.json["error"]
    unknown = await dev_api.call("POST", "/v1/cancellations", json_body={**body, "function_id": "nope"})
    assert unknown.status == 404
    missing = await dev_api.call("POST", "/v1/cancellations", json_body={"app_id": "my-app"})
    assert (missing.status, missing.json["error"]) == (400, "started_before is required")


async def test_rerun_and_replay_over_http(dev_api: Api, engine: Engine, fake_sdk: FakeSdk) -> None:
    await registered(dev_api, fake_sdk)
    event_id = await send(dev_api, {"n": 1})
    [original] = await runs_of(engine, event_id)

    rerun = await dev_api.call("POST", f"/v2/runs/{original.run_id}/rerun")
    new_id = rerun.json["data"]["runId"]
    assert (await engine.wait_for_run(new_id, 5)).original_run_id == original.run_id
    assert (await dev_api.call("GET", f"/v1/runs/{new_id}")).json["data"]["original_run_id"] == original.run_id

    from_step = await dev_api.call(
        "POST", f"/v2/runs/{original.run_id}/rerun", json_body={"fromStep": {"stepId": "missing", "input": [1]}}
    )
    assert from_step.status == 400 and "not a completed step" in from_step.json["errors"][0]["message"]
    not_array = await dev_api.call(
        "POST", f"/v2/runs/{original.run_id}/rerun", json_body={"fromStep": {"stepId": "x", "input": {}}}
    )
    assert (not_array.status, not_array.json["errors"][0]["message"]) == (400, "Step input must be a valid JSON array")
    assert (await dev_api.call("POST", "/v2/runs/nope/rerun")).status == 404

    replay = await dev_api.call("POST", f"/v1/events/{event_id}/replay")
    replayed = replay.json["data"]["id"]
    assert replayed != event_id and replay.json["data"]["replay_of"] == event_id
    [run] = await runs_of(engine, replayed)
    assert run.status is RunStatus.COMPLETED and run.event["data"] == {"n": 1}
    assert (await dev_api.call("POST", "/v1/events/nope/replay")).status == 404
