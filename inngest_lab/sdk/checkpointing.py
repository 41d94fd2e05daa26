"""Our SDK's fast path: run ``step.run`` steps back to back inside one call request, as TS 4.24 checkpoints.

Classic protocol: one call request per step (run it, answer 206 ``StepRun``, wait for the next call). When the
server's call request names the dispatch (non-empty ``ctx.fn_id`` and ``ctx.qi_id``, protocol-next doc 1.1), a
discovery call instead keeps running: each finished ``step.run`` is buffered and the function goes on.
The buffer reaches the server in one of three ways:

* with the call's answer: ``206 [StepRun…, RunComplete]`` when the function returns (a run of quick steps is
  **one call**), or ``206 [StepRun…, <op>]`` when it reaches a sleep, a wait, an invoke or a step error;
* by ``POST /v1/checkpoint/{runId}/async`` once its oldest step is ``interval_ms`` old (slow steps are saved as
  they finish, so a crash loses at most that much work), and before a function-level error is answered;
* when the call has run ``max_runtime_ms``, the buffer is answered with a ``DiscoveryRequest``: the server saves it
  and calls again, so one call never outlives the server's call timeout.

A 409 from the checkpoint route means the dispatch is stale (the run ended, or another worker holds the item):
the SDK stops and answers 400 with ``X-Inngest-No-Retry``, as TS does. Any other failure leaves the steps in the
buffer; they go out with the call's answer instead.

Only served-over-HTTP calls checkpoint, at attempt 0 of a discovery call with immediate execution allowed (a
retry runs its failed step alone, so the attempt counter restarts with the next step, as in TS).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from inngest_lab.protocol import signing
from inngest_lab.protocol.consts import Header, Opcode
from inngest_lab.protocol.step_ids import hash_step_id
from inngest_lab.sdk.transport import http_request, sdk_headers

DEFAULT_INTERVAL_MS = 1_000
DEFAULT_MAX_RUNTIME_MS = 10_000  # TS's default for serve()
CHECKPOINT_TIMEOUT_S = 10.0
STALE_STATUS = 409
RUN_COMPLETE_ID = hash_step_id("complete")
"""``sha1("complete")``: the id TS gives its ``RunComplete`` op (protocol-next doc 1.4)."""


@dataclass(frozen=True, slots=True)
class CheckpointConfig:
    """``Inngest(checkpointing=…)``: ``False`` turns the fast path off; a ``CheckpointConfig`` tunes it."""

    interval_ms: int = DEFAULT_INTERVAL_MS
    max_runtime_ms: int = DEFAULT_MAX_RUNTIME_MS


class StaleDispatch(BaseException):
    """The server answered a checkpoint with 409: another dispatch owns the run now, or it ended. Stop."""


@dataclass
class Checkpointer:
    """The buffer of one call request's finished steps, and how they are sent (see the module docstring).

    ``post`` is the transport: ``(url, headers, body) -> HTTP status``, raising ``OSError`` when unreachable.
    """

    url: str
    headers: Mapping[str, str]
    identity: Mapping[str, Any]  # run_id, fn_id, qi_id, request_id: echoed in every checkpoint body
    config: CheckpointConfig
    now_ms: Callable[[], int]
    started_ms: int
    buffer: list[dict[str, Any]] = field(default_factory=list)
    oldest_ms: int | None = None
    posts: int = 0

    def add(self, op: dict[str, Any]) -> bool:
        """Buffer a finished step's op; True when the buffer is due to be flushed now."""
        now = self.now_ms()
        self.buffer.append(op)
        if self.oldest_ms is None:
            self.oldest_ms = now
        return now - self.oldest_ms >= self.config.interval_ms

    def out_of_time(self) -> bool:
        """Whether this call has run long enough: new steps now go back to the server."""
        return self.now_ms() - self.started_ms >= self.config.max_runtime_ms

    def take(self) -> list[dict[str, Any]]:
        """Empty the buffer, returning what it held (for the call's answer)."""
        ops, self.buffer, self.oldest_ms = self.buffer, [], None
        return ops

    async def flush(self) -> None:
        """POST the buffer to the checkpoint route. Raises ``StaleDispatch`` on 409; on any other failure the
        steps stay buffered (the call's answer carries them)."""
        if not self.buffer:
            return
        body = {**self.identity, "steps": self.buffer, "ts": self.now_ms(), "request_started_at": self.started_ms}
        try:
            reply = await http_request("POST", self.url, self.headers, body, timeout_s=CHECKPOINT_TIMEOUT_S)
        except OSError:
            return
        self.posts += 1
        if reply.status == STALE_STATUS:
            raise StaleDispatch()
        if 200 <= reply.status < 300:
            self.take()


def checkpointer_for(
    client: Any,
    ctx: Mapping[str, Any],
    *,
    request_id: str | None,
    now_ms: Callable[[], int],
) -> Checkpointer | None:
    """The checkpointer for a call whose ``ctx`` names the dispatch, or None when this call must not checkpoint."""
    config = getattr(client, "checkpointing", None)
    fn_id, qi_id, run_id = ctx.get("fn_id"), ctx.get("qi_id"), ctx.get("run_id")
    if not isinstance(config, CheckpointConfig) or not (fn_id and qi_id and run_id):
        return None
    headers = dict(sdk_headers(env=client.env, framework=None, server_kind=None))
    if client.signing_key:
        headers[Header.AUTHORIZATION.value] = f"Bearer {signing.hashed_signing_key(client.signing_key)}"
    identity = {"run_id": run_id, "fn_id": fn_id, "qi_id": qi_id, "request_id": request_id}
    url = f"{client.api_origin.rstrip('/')}/v1/checkpoint/{run_id}/async"
    return Checkpointer(url, headers, identity, config, now_ms, now_ms())


def run_complete(value: Any) -> dict[str, Any]:
    """The op that ends a checkpointed run with ``value`` (its raw return value, as TS sends it)."""
    return {"id": RUN_COMPLETE_ID, "op": Opcode.RUN_COMPLETE.value, "data": value}


def discovery_request(now_ms: int) -> dict[str, Any]:
    """The op asking the server for a fresh call (``maxRuntime`` reached), as TS names it."""
    return {"id": hash_step_id(f"discovery-request-{now_ms}"), "op": Opcode.DISCOVERY_REQUEST.value}


def stale_error() -> dict[str, Any]:
    """The error body of a call stopped by a stale dispatch (answered 400, not retried)."""
    return {"name": "StaleDispatchError", "message": "the server no longer runs this dispatch (checkpoint got 409)"}
