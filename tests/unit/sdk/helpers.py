"""Test helpers: hand-built call requests fed straight to ``CommHandler.post``."""

from __future__ import annotations

import json
from typing import Any

from inngest_lab.protocol.step_ids import hash_step_id
from inngest_lab.sdk import CommHandler, CommRequest, CommResponse, Function, Inngest

FIXED_NOW_MS = 1_700_000_000_000  # 2023-11-14T22:13:20.000Z


class RecordingTransport:
    """In-memory event transport: records payloads, answers sequential ids."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    async def send(self, payloads: list[dict[str, Any]]) -> list[str]:
        start = len(self.sent)
        self.sent.extend(payloads)
        return [f"evt-{i}" for i in range(start, len(self.sent))]


def dev_client(app_id: str = "my-app") -> Inngest:
    return Inngest(app_id, is_production=False, environ={})


def call_request(
    *,
    steps: dict[str, Any] | None = None,
    attempt: int = 0,
    max_attempts: int | None = 4,
    disable_immediate_execution: bool = False,
    event: dict[str, Any] | None = None,
) -> dict[str, Any]:
    ev = event or {"data": {"id": "x1"}, "id": "01EVT", "name": "app/go", "ts": 1_700_000_000_000, "user": {}}
    ctx: dict[str, Any] = {
        "attempt": attempt,
        "disable_immediate_execution": disable_immediate_execution,
        "env": "",
        "fn_id": "",
        "run_id": "01RUN",
        "stack": {"current": 0, "stack": list(steps or {})},
        "step_id": "step",
        "use_api": False,
    }
    if max_attempts is not None:
        ctx["max_attempts"] = max_attempts
    return {"ctx": ctx, "event": ev, "events": [ev], "steps": steps or {}, "use_api": False, "version": 2}


def h(step_id: str, index: int = 0) -> str:
    return hash_step_id(step_id, index)


async def post(
    fn: Function[Any],
    *,
    client: Inngest | None = None,
    step_id: str = "step",
    fn_id: str | None = None,
    body: dict[str, Any] | None = None,
    **kwargs: Any,
) -> CommResponse:
    """POST a call request for ``fn`` through a dev-mode handler, as the HTTP bytes a server would send."""
    client = client or dev_client(fn.app_id)
    handler = CommHandler(client, [fn], now_ms=lambda: FIXED_NOW_MS)
    raw = json.dumps(body if body is not None else call_request(**kwargs)).encode()
    query = {"fnId": fn_id or fn.id, "stepId": step_id}
    return await handler.post(CommRequest("POST", "http://127.0.0.1/api/inngest", query, {}, raw))
