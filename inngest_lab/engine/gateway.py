"""The ``AIGateway`` (``step.ai.infer``) and ``Gateway`` (``step.fetch``) ops: the server makes the HTTP call.

Pure decisions around an impure call (protocol-next §3 and §4, Go ``handleGeneratorAIGateway`` and
``handleGeneratorGateway``):

1. ``gateway_op`` turns the op into a ``GATEWAY`` queue item carrying the request; the step is pending, so the
   SDK is not called while the request runs (that is the point of the feature).
2. The shell (``executor/gateway.py``) makes the request off the event loop's critical path and reports a
   :class:`~inngest_lab.engine.signals.GatewayResponded`.
3. ``gateway_responded`` decides:

   * ``AIGateway``: status <= 299 saves ``{"data": <response JSON>}``; a transport error or any other status is
     an ``AIGatewayError``, retried per the step's policy, and saved as ``{"error": …}`` once attempts run out;
   * ``Gateway``: any HTTP response, whatever its status, saves ``{"data": {url, headers, body, status_code}}``;
     only a transport error is a ``GatewayError`` (retried, then saved).

History entries carry the facts a timeline shows (``gateway``: kind, model, token counts, latency, status),
never the request's ``auth_key`` or headers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace

from inngest_lab.engine.backoff import retry_delay_ms
from inngest_lab.engine.model import Command, HistoryKind, ItemKind, Json, QueueItem
from inngest_lab.engine.run_builder import RunBuilder
from inngest_lab.engine.signals import GatewayResponded
from inngest_lab.protocol.consts import AI_GATEWAY_MESSAGE, DISCOVERY_STEP_ID, GATEWAY_MESSAGE, ErrorName, Opcode

GATEWAY_OPS = frozenset({Opcode.AI_GATEWAY, Opcode.GATEWAY})


def gateway_item_id(run_id: str, step_id: str, attempt: int) -> str:
    return f"{run_id}/g/{step_id}/{attempt}"


def gateway_op(b: RunBuilder, op: Mapping[str, Json], step_id: str, name: Json) -> str | None:
    """Queue the HTTP call an ``AIGateway``/``Gateway`` op describes. None, or what is wrong with the op."""
    code = Opcode(str(op.get("op")))
    opts = op.get("opts")
    if not isinstance(opts, Mapping):
        return f"{code.value} needs opts"
    url = opts.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return f"{code.value} needs an http(s) opts.url"
    if code is Opcode.AI_GATEWAY and not isinstance(opts.get("body"), Mapping):
        return "AIGateway needs a JSON object opts.body"
    b.enqueue(_item(b, step_id, 0, b.now_ms, {"op": code.value, "name": name, "opts": dict(opts)}))
    return None


def _item(b: RunBuilder, step_id: str, attempt: int, due_at_ms: int, payload: Json) -> QueueItem:
    return QueueItem(
        item_id=gateway_item_id(b.run.run_id, step_id, attempt),
        run_id=b.run.run_id,
        fn_id=b.run.fn_id,
        kind=ItemKind.GATEWAY,
        due_at_ms=due_at_ms,
        step_id=step_id,
        attempt=attempt,
        payload=payload,
    )


def gateway_responded(b: RunBuilder, r: GatewayResponded, max_attempts: int, jitter: float) -> list[Command]:
    """Save the call's result as the step's memo, or schedule the next attempt (see module docstring)."""
    item = b.item
    payload = item.payload if isinstance(item.payload, Mapping) else {}
    ai = payload.get("op") == Opcode.AI_GATEWAY
    opts = payload.get("opts") if isinstance(payload.get("opts"), Mapping) else {}
    assert isinstance(opts, Mapping)
    step_id, name = item.step_id, payload.get("name")
    facts = gateway_facts(ai, opts, r)
    ok = r.transport_error is None and (not ai or 200 <= r.status <= 299)
    memo: Json
    if ok:
        data = _response_json(r.body) if ai else _fetch_result(opts, r)
        memo = {"data": data}
        kind = HistoryKind.STEP_COMPLETED
        history: dict[str, Json] = {"output": data}
    else:
        error = _ai_error(r) if ai else _gateway_error(r)
        if item.attempt + 1 < max_attempts:
            retry_at = b.now_ms + retry_delay_ms(item.attempt, jitter, b.retry_interval_ms)
            b.history(
                HistoryKind.STEP_ERRORED,
                step_id=step_id,
                name=_str(name),
                attempt=item.attempt,
                data={"error": error, "retry_at_ms": retry_at, "started_at_ms": r.started_at_ms, "gateway": facts},
                at_ms=r.ended_at_ms or b.now_ms,
            )
            b.enqueue(_item(b, step_id, item.attempt + 1, retry_at, dict(payload)))
            return b.done()
        memo = {"error": error}
        kind = HistoryKind.STEP_FAILED
        history = {"error": error}
    if b.save_step(step_id, memo):
        history.update({"started_at_ms": r.started_at_ms, "gateway": facts})
        b.history(kind, step_id=step_id, name=_str(name), attempt=item.attempt, data=history, at_ms=r.ended_at_ms)
    pending = b.run.pending - {step_id}
    if pending != b.run.pending:
        b.run = replace(b.run, pending=pending)
    if not pending:
        b.call(DISCOVERY_STEP_ID)
    return b.done()


def gateway_facts(ai: bool, opts: Mapping[str, Json], r: GatewayResponded) -> dict[str, Json]:
    """What the timeline shows of a gateway call: never ``auth_key`` nor request headers."""
    facts: dict[str, Json] = {
        "kind": "ai" if ai else "fetch",
        "url": opts.get("url"),
        "status": r.status or None,
        "latency_ms": max(0, r.ended_at_ms - r.started_at_ms),
    }
    if not ai:
        facts["method"] = opts.get("method") or "POST"
        return facts
    facts["format"] = opts.get("format")
    body = opts.get("body") if isinstance(opts.get("body"), Mapping) else {}
    assert isinstance(body, Mapping)
    response = _response_json(r.body) if r.transport_error is None else None
    response = response if isinstance(response, Mapping) else {}
    facts["model"] = body.get("model") or response.get("model") or response.get("modelVersion")
    facts.update(token_counts(response))
    return facts


def token_counts(response: Mapping[str, Json]) -> dict[str, Json]:
    """Input/output/total token counts from an OpenAI, Anthropic or Gemini response, when it has them."""
    usage = response.get("usage")
    if isinstance(usage, Mapping):
        inp = usage.get("prompt_tokens", usage.get("input_tokens"))
        out = usage.get("completion_tokens", usage.get("output_tokens"))
        total = usage.get("total_tokens")
    else:
        meta = response.get("usageMetadata")
        if not isinstance(meta, Mapping):
            return {}
        inp, out, total = meta.get("promptTokenCount"), meta.get("candidatesTokenCount"), meta.get("totalTokenCount")
    counts = {"input_tokens": inp, "output_tokens": out, "total_tokens": total}
    if total is None and isinstance(inp, int) and isinstance(out, int):
        counts["total_tokens"] = inp + out
    return {k: v for k, v in counts.items() if isinstance(v, int)}


def _response_json(text: Json) -> Json:
    """The response body as JSON (Go saves it verbatim); a body that is not JSON is kept as a string."""
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def _fetch_result(opts: Mapping[str, Json], r: GatewayResponded) -> dict[str, Json]:
    return {
        "url": opts.get("url"),
        "headers": dict(r.headers),
        "body": r.body if isinstance(r.body, str) else json.dumps(r.body),
        "status_code": r.status,
    }


def _ai_error(r: GatewayResponded) -> dict[str, Json]:
    reason = r.transport_error or f"unsuccessful status code: {r.status}"
    text = r.body if isinstance(r.body, str) else ""
    data = _response_json(text) if text else {"error": AI_GATEWAY_MESSAGE}
    return {
        "name": ErrorName.AI_GATEWAY.value,
        "message": f"{AI_GATEWAY_MESSAGE}: {reason}",
        "data": data,
        "stack": text or json.dumps(data),
    }


def _gateway_error(r: GatewayResponded) -> dict[str, Json]:
    return {"name": ErrorName.GATEWAY.value, "message": f"{GATEWAY_MESSAGE}: {r.transport_error}"}


def _str(name: Json) -> str | None:
    return str(name) if name else None
