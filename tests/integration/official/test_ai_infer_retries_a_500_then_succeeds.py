"""A 500 from the model is an ``AIGatewayError`` attempt, retried per the step's policy; the retry's answer is
the step's output and the SDK sees only that."""

from __future__ import annotations

from inngest_lab.engine.model import HistoryKind
from tests.integration.official.harness import Target
from tests.integration.official.model_server import model_server


async def test_a_500_is_retried_and_the_second_answer_is_saved(target: Target) -> None:
    async with model_server() as model:
        run = await target.run("ai-infer", {"key": "sk-flaky", "base_url": model.base_url("flaky"), "prompt": "again"})

    assert run["status"] == "Completed", target.logs()
    assert run["output"]["ok"] is True
    assert run["output"]["out"]["id"] == "cmpl-2"
    assert len(model.of("flaky")) == 2
    history = target.history(run["run_id"])
    [errored] = [e for e in history if e.kind is HistoryKind.STEP_ERRORED]
    assert errored.data["error"]["name"] == "AIGatewayError"
    assert errored.data["gateway"]["status"] == 500
    assert [e.attempt for e in history if e.kind is HistoryKind.STEP_COMPLETED and e.data.get("gateway")] == [1]
