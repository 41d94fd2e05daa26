"""A 401 from the model fails every attempt; once retries run out the step fails with an ``AIGatewayError``
carrying the model's answer, and the SDK raises it at ``infer``."""

from __future__ import annotations

import json

from inngest_lab.engine.model import HistoryKind
from tests.integration.official.harness import Target
from tests.integration.official.model_server import model_server


async def test_a_401_fails_the_step_after_its_retries(target: Target) -> None:
    async with model_server() as model:
        run = await target.run("ai-infer", {"key": "sk-wrong", "base_url": model.base_url("denied"), "prompt": "x"})

    assert run["status"] == "Completed", target.logs()  # the function catches the step's error
    assert run["output"]["ok"] is False
    assert "Error making AI request" in json.dumps(run["output"]), run["output"]
    assert len(model.of("denied")) == 3  # retries=2: three attempts
    [failed] = [e for e in target.history(run["run_id"]) if e.kind is HistoryKind.STEP_FAILED]
    assert failed.data["error"]["name"] == "AIGatewayError"
    assert failed.data["error"]["data"]["error"]["message"] == "Incorrect API key provided"
    assert failed.data["gateway"]["status"] == 401
