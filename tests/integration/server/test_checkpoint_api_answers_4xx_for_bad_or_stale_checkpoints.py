"""``POST /v1/checkpoint/{runId}/async`` refuses what it cannot save with a 4xx naming the problem: a malformed body
or an opcode a checkpoint may not carry (400), an unknown run (404), a dispatch that is no longer current (409:
here the run has already ended), and, with signing keys, a caller without the (hashed) key (401)."""

from __future__ import annotations

import asyncio

from inngest_lab.executor.engine import Engine
from tests.integration.server.conftest import HASHED_KEY, Api, FakeSdk, register_body

STEP = {"op": "StepRun", "id": "s1", "name": "s1", "data": 1}


def checkpoint(run_id: str, *steps: dict[str, object], qi_id: str = "q") -> dict[str, object]:
    return {"run_id": run_id, "fn_id": "my-app-child", "qi_id": qi_id, "request_id": "no-such-lease", "steps": steps}


async def ended_child_run(dev_api: Api, engine: Engine, fake_sdk: FakeSdk) -> str:
    """Sync the fake SDK's app, send ``app/child`` and return the id of the run it started, once it has ended."""
    assert (await dev_api.call("POST", "/fn/register", json_body=register_body(fake_sdk.url))).status == 200
    [event_id] = (await dev_api.call("POST", "/e/dev", json_body={"name": "app/child"})).json["ids"]
    for _ in range(500):
        runs = await engine.store.list_runs(event_id=event_id)
        if runs and runs[0].status.is_terminal:
            break
        await asyncio.sleep(0.01)
    return runs[0].run_id


async def test_bad_unknown_and_stale_checkpoints_are_refused(dev_api: Api, engine: Engine, fake_sdk: FakeSdk) -> None:
    run_id = await ended_child_run(dev_api, engine, fake_sdk)
    path = f"/v1/checkpoint/{run_id}/async"

    bad = await dev_api.call("POST", path, json_body=checkpoint(run_id, {"op": "Sleep", "id": "nap"}))
    assert bad.status == 400 and "steps[0].op 'Sleep' cannot be checkpointed" in bad.json["error"]
    assert (await dev_api.call("POST", path, body=b"[")).status == 400
    no_qi = await dev_api.call("POST", path, json_body={"run_id": run_id, "steps": []})
    assert no_qi.status == 400 and "qi_id" in no_qi.json["error"]

    unknown = await dev_api.call("POST", "/v1/checkpoint/nope/async", json_body=checkpoint("nope", STEP))
    assert unknown.status == 404

    stale = await dev_api.call("POST", path, json_body=checkpoint(run_id, STEP, qi_id=f"{run_id}/c/step/0/0"))
    assert stale.status == 409 and stale.json["code"] == "conflict"
    assert "s1" not in (await engine.store.load_run(run_id)).steps  # type: ignore[union-attr]


async def test_with_signing_keys_the_hashed_key_is_required(cloud_api: Api) -> None:
    path = "/v1/checkpoint/nope/async"
    assert (await cloud_api.call("POST", path, json_body=checkpoint("nope", STEP))).status == 401
    keyed = {"Authorization": f"Bearer {HASHED_KEY}"}
    assert (await cloud_api.call("POST", path, json_body=checkpoint("nope", STEP), headers=keyed)).status == 404
