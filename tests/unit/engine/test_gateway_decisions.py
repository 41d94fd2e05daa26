"""The AIGateway / Gateway ops as pure decisions: the op queues the server's call and holds the step; the
call's outcome is saved, retried or failed as Inngest does it; the auth key never reaches history."""

from __future__ import annotations

from collections.abc import Mapping

from inngest_lab.engine.gateway import gateway_item_id, token_counts
from inngest_lab.engine.model import AppendHistory, Enqueue, ItemKind, QueueItem
from inngest_lab.engine.signals import GatewayResponded
from inngest_lab.engine.transition import transition
from tests.unit.engine.transition_helpers import FN, NOW, call_item, final_run, make_run, of_type, op, ops, saved

AI_OPTS = {
    "type": "step.ai.infer",
    "url": "http://model.local/v1/chat/completions",
    "auth_key": "sk-never-in-history",
    "format": "openai-chat",
    "headers": {},
    "body": {"model": "gpt-x", "messages": []},
}


def gateway_item(code: str, opts: Mapping[str, object], attempt: int = 0) -> QueueItem:
    return QueueItem(
        item_id=gateway_item_id("r1", "s1", attempt),
        run_id="r1",
        fn_id="app-main",
        kind=ItemKind.GATEWAY,
        due_at_ms=NOW,
        step_id="s1",
        attempt=attempt,
        payload={"op": code, "name": "infer", "opts": dict(opts)},
    )


def test_an_ai_op_queues_the_call_and_holds_the_step_without_calling_the_sdk() -> None:
    commands = transition(make_run(), call_item(), ops(op("AIGateway", "s1", opts=AI_OPTS)), FN, NOW, 0.5)

    [enqueued] = [c.item for c in of_type(commands, Enqueue)]
    assert (enqueued.kind, enqueued.step_id, enqueued.payload["opts"]["url"]) == (
        ItemKind.GATEWAY,
        "s1",
        AI_OPTS["url"],
    )
    assert final_run(commands).pending == frozenset({"s1"})


def test_a_successful_inference_saves_the_body_and_calls_the_sdk_with_facts_in_history() -> None:
    body = '{"id":"c1","usage":{"prompt_tokens":3,"completion_tokens":4}}'
    r = GatewayResponded(status=200, body=body, started_at_ms=NOW, ended_at_ms=NOW + 30)
    run = make_run(pending=frozenset({"s1"}))

    commands = transition(run, gateway_item("AIGateway", AI_OPTS), r, FN, NOW + 30, 0.5)

    assert saved(commands) == {"s1": {"data": {"id": "c1", "usage": {"prompt_tokens": 3, "completion_tokens": 4}}}}
    [call] = [c.item for c in of_type(commands, Enqueue)]
    assert (call.kind, call.step_id) == (ItemKind.CALL, "step")
    [entry] = [c.entry for c in of_type(commands, AppendHistory)]
    facts = entry.data["gateway"]
    assert (facts["model"], facts["latency_ms"], facts["input_tokens"], facts["total_tokens"]) == ("gpt-x", 30, 3, 7)
    assert "sk-never-in-history" not in repr(commands[1:])


def test_a_failed_inference_is_retried_then_saved_as_an_ai_gateway_error() -> None:
    r = GatewayResponded(status=429, body='{"error":"slow down"}', started_at_ms=NOW, ended_at_ms=NOW)
    run = make_run(pending=frozenset({"s1"}))

    retry = transition(run, gateway_item("AIGateway", AI_OPTS), r, FN, NOW, 0.0)
    [again] = [c.item for c in of_type(retry, Enqueue)]
    assert (again.kind, again.attempt, saved(retry)) == (ItemKind.GATEWAY, 1, {})

    last = transition(run, gateway_item("AIGateway", AI_OPTS, attempt=2), r, FN, NOW, 0.0)  # FN: retries=2
    error = saved(last)["s1"]["error"]
    assert error["name"] == "AIGatewayError" and error["data"] == {"error": "slow down"}
    assert error["message"] == "Error making AI request: unsuccessful status code: 429"


def test_a_fetch_saves_any_status_and_only_a_transport_error_is_a_gateway_error() -> None:
    opts = {"url": "http://x.local/y", "method": "GET"}
    run = make_run(pending=frozenset({"s1"}))
    r = GatewayResponded(status=503, headers={"Retry-After": "1"}, body="busy", started_at_ms=NOW, ended_at_ms=NOW)

    memo = saved(transition(run, gateway_item("Gateway", opts), r, FN, NOW, 0.5))["s1"]
    assert memo == {"data": {"url": opts["url"], "headers": {"Retry-After": "1"}, "body": "busy", "status_code": 503}}

    down = GatewayResponded(status=0, transport_error="connection refused", started_at_ms=NOW, ended_at_ms=NOW)
    failed = saved(transition(run, gateway_item("Gateway", opts, attempt=2), down, FN, NOW, 0.5))["s1"]
    assert failed == {"error": {"name": "GatewayError", "message": "Error making gateway request: connection refused"}}


def test_an_op_without_a_url_fails_the_run() -> None:
    bad = {**AI_OPTS, "url": "file:///etc/passwd"}
    run = final_run(transition(make_run(), call_item(), ops(op("AIGateway", "s1", opts=bad)), FN, NOW, 0.5))
    assert run.status.value == "Failed" and "http(s)" in run.error["message"]


def test_token_counts_read_openai_anthropic_and_gemini_shapes() -> None:
    assert token_counts({"usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}}) == {
        "input_tokens": 1,
        "output_tokens": 2,
        "total_tokens": 3,
    }
    assert token_counts({"usage": {"input_tokens": 4, "output_tokens": 5}})["total_tokens"] == 9
    meta = {"usageMetadata": {"promptTokenCount": 6, "candidatesTokenCount": 7, "totalTokenCount": 13}}
    assert token_counts(meta) == {"input_tokens": 6, "output_tokens": 7, "total_tokens": 13}
    assert token_counts({"choices": []}) == {}
