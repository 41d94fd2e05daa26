"""``POST /v1/checkpoint/batch`` (our SDK's group commit) answers one result per entry, in the order sent, each what
the per-run route would have answered: a malformed entry or one without a run id (400), an unknown run (404), a
stale dispatch (409: here the run has ended, so nothing more is saved)."""

from __future__ import annotations

from inngest_lab.executor.engine import Engine
from tests.integration.server.conftest import Api, FakeSdk
from tests.integration.server.test_checkpoint_api_answers_4xx_for_bad_or_stale_checkpoints import (
    STEP,
    checkpoint,
    ended_child_run,
)

BATCH = "/v1/checkpoint/batch"


async def test_each_entry_gets_its_own_answer_in_order(dev_api: Api, engine: Engine, fake_sdk: FakeSdk) -> None:
    run_id = await ended_child_run(dev_api, engine, fake_sdk)
    entries = [
        checkpoint(run_id, {"op": "Sleep", "id": "nap"}),
        checkpoint("nope", STEP),
        checkpoint(run_id, STEP, qi_id=f"{run_id}/c/step/0/0"),
        {"steps": [STEP]},
        "not an object",
    ]

    reply = await dev_api.call("POST", BATCH, json_body=entries)

    assert reply.status == 200, reply.json
    assert [r["status"] for r in reply.json] == [400, 404, 409, 400, 400]
    assert "steps[0].op 'Sleep' cannot be checkpointed" in reply.json[0]["error"]
    assert reply.json[1]["error"] == "run nope not found"
    assert reply.json[2]["code"] == "conflict"
    assert "[3].run_id must be a non-empty string" in reply.json[3]["error"]
    assert "s1" not in (await engine.store.load_run(run_id)).steps  # type: ignore[union-attr]
