"""``step.ai.infer`` (the ``AIGateway`` op): the server calls the model with the op's url, key and body, saves the
response as the step's output, and records the model, token counts and latency on the timeline without ever
writing the key to its logs."""

from __future__ import annotations

from inngest_lab.engine.model import HistoryKind
from tests.integration.official.harness import Target
from tests.integration.official.model_server import model_server


async def test_the_server_makes_the_inference_call_and_the_step_returns_its_response(target: Target) -> None:
    key = f"sk-lab-{target.sdk}-{target.mode}-secret"
    async with model_server() as model:
        run = await target.run("ai-infer", {"key": key, "base_url": model.base_url("ok"), "prompt": "hi"})

    assert run["status"] == "Completed", target.logs()
    out = run["output"]["out"]
    assert run["output"]["ok"] is True
    assert out["choices"][0]["message"]["content"] == "echo: hi"
    assert out["usage"]["total_tokens"] == 12
    [request] = model.of("ok")
    assert request.authorization == f"Bearer {key}"
    assert request.body["model"] == "gpt-lab"
    assert request.body["messages"] == [{"role": "user", "content": "hi"}]

    [done] = [e for e in target.history(run["run_id"]) if e.kind is HistoryKind.STEP_COMPLETED]
    facts = done.data["gateway"]
    assert (facts["kind"], facts["model"], facts["status"]) == ("ai", "gpt-lab", 200)
    assert (facts["input_tokens"], facts["output_tokens"], facts["total_tokens"]) == (5, 7, 12)
    assert facts["latency_ms"] >= 0
    assert key not in "".join(server.log.read_text(errors="replace") for server in target.stack.servers)
    assert key not in str(done.data)
