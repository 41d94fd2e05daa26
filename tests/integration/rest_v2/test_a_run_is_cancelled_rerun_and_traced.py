"""``POST /v2/runs/{id}/cancel``, ``POST /v2/runs/{id}/rerun`` (``fromStep``) and ``GET /v2/runs/{id}/trace``."""

from __future__ import annotations

import asyncio

from inngest_lab.executor.engine import Engine
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.protocol.step_ids import hash_step_id
from tests.integration.rest_v2.conftest import finished, send
from tests.integration.server.conftest import Api


async def test_a_waiting_run_is_cancelled_once(dev_api: Api, engine: Engine, shop_app: str) -> None:
    event_id = await send(dev_api, "shop/wait")
    for _ in range(500):
        runs = await engine.store.list_runs(event_id=event_id)
        if runs and runs[0].status is RunStatus.RUNNING:
            break
        await asyncio.sleep(0.01)
    run_id = runs[0].run_id

    reply = await dev_api.call("POST", f"/v2/runs/{run_id}/cancel")
    assert (reply.status, reply.json["data"]) == (200, {"runId": run_id})
    assert (await finished(engine, event_id)).status is RunStatus.CANCELLED
    again = await dev_api.call("POST", f"/v2/runs/{run_id}/cancel")
    assert again.status == 409 and again.json["errors"][0]["code"] == "run_already_cancelled"
    gone = await dev_api.call("POST", "/v2/runs/nope/cancel")
    assert gone.status == 404


async def test_a_completed_run_is_rerun_from_a_step_and_traced(dev_api: Api, engine: Engine, shop_app: str) -> None:
    original = await finished(engine, await send(dev_api, "shop/order", {"item": "pen"}))
    ended = await dev_api.call("POST", f"/v2/runs/{original.run_id}/cancel")
    assert ended.status == 409 and ended.json["errors"][0]["code"] == "run_already_ended"

    body = {"fromStep": {"stepId": hash_step_id("charge"), "input": []}}
    reply = await dev_api.call("POST", f"/api/v2/runs/{original.run_id}/rerun", json_body=body)
    assert reply.status == 200, reply.text
    rerun = await engine.wait_for_run(reply.json["data"]["runId"], 10)
    assert rerun.original_run_id == original.run_id and rerun.output == {"item": "pen", "paid": 10}

    trace = (await dev_api.call("GET", f"/v2/runs/{original.run_id}/trace?includeOutput=true")).json["data"]
    assert trace["runId"] == original.run_id
    root = trace["rootSpan"]
    assert root["status"] == "COMPLETED" and root["output"] == {"item": "pen", "paid": 10}
    assert [(c["name"], c["stepOp"], c["status"]) for c in root["children"]] == [
        ("reserve", "RUN", "COMPLETED"),
        ("charge", "RUN", "COMPLETED"),
    ]
    assert root["children"][0]["output"] == {"data": "pen"}  # a Struct holds objects: scalars are wrapped
