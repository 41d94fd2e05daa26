"""``POST /v1/checkpoint/batch`` refuses a whole request it cannot take apart: a body that is not a non-empty JSON
array is a 400 naming the problem, more than ``MAX_BATCH`` entries a 413; with signing keys the hashed key is
required, exactly as on the per-run route (and a keyed batch is then answered entry by entry)."""

from __future__ import annotations

from inngest_lab.server.checkpoint_api import MAX_BATCH
from tests.integration.server.conftest import HASHED_KEY, Api
from tests.integration.server.test_checkpoint_api_answers_4xx_for_bad_or_stale_checkpoints import STEP, checkpoint

BATCH = "/v1/checkpoint/batch"


async def test_a_body_that_is_not_a_batch_is_refused_whole(dev_api: Api) -> None:
    not_array = await dev_api.call("POST", BATCH, json_body={"run_id": "r"})
    assert not_array.status == 400 and "must be a JSON array" in not_array.json["error"]
    empty = await dev_api.call("POST", BATCH, json_body=[])
    assert empty.status == 400 and "empty" in empty.json["error"]
    assert (await dev_api.call("POST", BATCH, body=b"[")).status == 400
    too_many = await dev_api.call("POST", BATCH, json_body=[checkpoint("nope", STEP)] * (MAX_BATCH + 1))
    assert too_many.status == 413 and f"at most {MAX_BATCH}" in too_many.json["error"]


async def test_with_signing_keys_the_hashed_key_is_required(cloud_api: Api) -> None:
    assert (await cloud_api.call("POST", BATCH, json_body=[checkpoint("nope", STEP)])).status == 401
    keyed = {"Authorization": f"Bearer {HASHED_KEY}"}
    reply = await cloud_api.call("POST", BATCH, json_body=[checkpoint("nope", STEP)], headers=keyed)
    assert reply.status == 200 and [r["status"] for r in reply.json] == [404]
