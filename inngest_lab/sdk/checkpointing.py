"""Our SDK's fast path: run ``step.run`` steps back to back inside one call request, as TS 4.24 checkpoints.

Classic protocol: one call request per step (run it, answer 206 ``StepRun``, wait for the next call). When the
server's call request names the dispatch (non-empty ``ctx.fn_id`` and ``ctx.qi_id``, protocol-next doc 1.1), a
discovery call instead keeps running: each finished ``step.run`` is buffered and the function goes on.

As soon as a step finishes, its run's buffer is checkpointed through the process's sender
(``sdk/checkpoint_sender.py``), which coalesces the checkpoints of every run into ``POST /v1/checkpoint/batch``
requests (group commit; ``POST /v1/checkpoint/{runId}/async`` on servers without that route); steps that finish
while their run's checkpoint is in flight go in the next one. When the function ends, a POST still in flight is
dropped and the buffer rides on the call's answer: ``206 [StepRun…, RunComplete]`` (or ``[StepRun…, <op>]`` for a
sleep, wait, invoke or step error). A run of quick steps is **one call request**. Steps sent twice (a dropped POST
that did arrive, then the answer) are harmless: the server keeps the first.

* By default the function waits for each step's checkpoint before the next step, as TS does: a finished step is
  never run again, and a 409 stops the SDK before it runs another step. ``CheckpointConfig(settle_after_ms=50)``
  (pipelined) waits only after slow steps (a slow step's dispatch is the likeliest to have been overtaken):
  quick steps then run on while their checkpoints travel, and a run of quick steps is one request in all.
* A function-level error: the buffer is checkpointed first (or, failing that, answered alone as a 206, so the
  error comes back on the next call with every step saved).
* After ``max_runtime_ms`` in one call, the next new step goes back to the server (``DiscoveryRequest``), so a
  call never outlives the server's call timeout.
* A 409 from the checkpoint route means the dispatch is stale (the run ended, or another worker holds the item):
  the SDK stops at its next step and answers 400 with ``X-Inngest-No-Retry``, as TS does. Any other failure
  leaves the steps in the buffer for the next POST or the answer.

Only calls served over HTTP checkpoint, and only a discovery call at attempt 0 that may execute steps at once
(a retry runs its failed step alone, so the attempt counter restarts with the next step, as in TS).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from inngest_lab.protocol import signing
from inngest_lab.protocol.consts import Header, Opcode
from inngest_lab.protocol.step_ids import hash_step_id
from inngest_lab.sdk.errors import StepInterrupt
from inngest_lab.sdk.transport import sdk_headers

if (
    TYPE_CHECKING
):  # the sender loads aiohttp: only a call that checkpoints needs it (``import inngest_lab`` stays light)
    from inngest_lab.sdk.checkpoint_sender import CheckpointSender

DEFAULT_MAX_RUNTIME_MS = 10_000  # TS's default for serve()
DEFAULT_SETTLE_AFTER_MS = 0  # every step waits for its checkpoint, as TS's default (bufferedSteps: 1)
PIPELINED_SETTLE_AFTER_MS = 50
STALE_STATUS = 409
RUN_COMPLETE_ID = hash_step_id("complete")
"""``sha1("complete")``: the id TS gives its ``RunComplete`` op (protocol-next doc 1.4)."""


@dataclass(frozen=True, slots=True)
class CheckpointConfig:
    """``Inngest(checkpointing=…)``: ``False`` turns the fast path off; a ``CheckpointConfig`` tunes it.

    ``settle_after_ms``: a step that ran at least this long waits for its checkpoint before the function goes on.
    0 (the default) waits after every step: a step finished is saved before the next one starts, the guarantee
    of the classic protocol. ``PIPELINED_SETTLE_AFTER_MS`` lets quick steps run on while their checkpoints are in
    flight (faster; a crash may then re-run the quick steps of the last round trip).
    """

    max_runtime_ms: int = DEFAULT_MAX_RUNTIME_MS
    settle_after_ms: int = DEFAULT_SETTLE_AFTER_MS


class StaleDispatch(BaseException):
    """The server answered a checkpoint with 409: another dispatch owns the run now, or it ended. Stop."""


@dataclass
class Checkpointer:
    """The buffer of one call request's finished steps, and their background checkpoints (module docstring).

    ``loop`` is the loop the POSTs run on (the server's); ``add`` may be called from it or from the worker thread
    of a sync function. ``buffer`` holds every op not yet acknowledged by the server, oldest first.
    """

    sender: CheckpointSender
    identity: Mapping[str, Any]  # run_id, fn_id, qi_id, request_id: echoed in every checkpoint body
    config: CheckpointConfig
    now_ms: Callable[[], int]
    started_ms: int
    loop: asyncio.AbstractEventLoop
    buffer: list[dict[str, Any]] = field(default_factory=list)
    stale: bool = False
    failed: bool = False  # a checkpoint did not arrive or was refused (not 409): no further step runs in this call
    must_settle: bool = False
    posts: int = 0
    _inflight: concurrent.futures.Future[None] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, op: dict[str, Any], *, settle: bool = False) -> None:
        """Buffer a finished step's op and make sure a checkpoint POST is on its way.

        ``settle``: the step was slow, so the function must wait for its checkpoint (``settle``) before going on.
        """
        with self._lock:
            self.buffer.append(op)
            self.must_settle = settle
            if self._inflight is None:
                self._inflight = asyncio.run_coroutine_threadsafe(self._send_all(), self.loop)

    def check(self) -> None:
        """Raise ``StaleDispatch`` once the server has refused a checkpoint with 409; once a checkpoint failed
        otherwise, hand the buffered steps back on the call's answer (the classic protocol) instead of running
        another step, so a finished step is never run again and a later step's error is never hidden behind
        steps the server has not saved."""
        if self.stale:
            raise StaleDispatch()
        if self.failed:
            raise StepInterrupt([])

    def out_of_time(self) -> bool:
        """Whether this call has run long enough: new steps now go back to the server."""
        return self.now_ms() - self.started_ms >= self.config.max_runtime_ms

    async def _send_all(self) -> None:
        """POST the buffer until it is empty, refused as stale, or a POST fails (the rest waits for the answer)."""
        try:
            while not self.stale:
                with self._lock:
                    batch = list(self.buffer)
                if not batch or not await self._post(batch):
                    return
                with self._lock:
                    del self.buffer[: len(batch)]  # acknowledged; later steps were appended after them
        finally:
            with self._lock:
                self._inflight = None

    async def _post(self, batch: list[dict[str, Any]]) -> bool:
        body = {**self.identity, "steps": batch, "ts": self.now_ms(), "request_started_at": self.started_ms}
        if asyncio.get_running_loop() is self.loop:
            status = await self.sender.send(body)
        else:  # a sync function's settle on a private loop: the sender belongs to the server's loop
            status = await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(self.sender.send(body), self.loop))
        if status is None:
            self.failed = True
            return False  # it did not arrive: the steps stay buffered and ride on the call's answer
        self.posts += 1
        if status == STALE_STATUS:
            self.stale = True
            return False
        self.failed = not 200 <= status < 300
        return not self.failed

    async def take(self) -> list[dict[str, Any]]:
        """Stop checkpointing in the background and hand over every op not acknowledged (for the call's answer).

        A POST still in flight is dropped rather than awaited: its ops stay in the buffer, so they are answered
        too; if it did reach the server, the second save of each step is a no-op there.
        """
        with self._lock:
            inflight = self._inflight
        if inflight is not None:
            inflight.cancel()
        with self._lock:
            ops, self.buffer = self.buffer, []
        return ops

    async def settle(self) -> None:
        """Checkpoint the whole buffer now and wait for it: after a slow step (whose dispatch is the likeliest to
        have been overtaken, by a lost lease or a crash) and before a function error is answered.

        Raises ``StaleDispatch`` on 409, so a stale dispatch runs no further step; on any other failure the steps
        stay buffered."""
        self.must_settle = False
        with self._lock:
            inflight = self._inflight
        if inflight is not None:
            with contextlib.suppress(concurrent.futures.CancelledError):
                await asyncio.wrap_future(inflight)
        if self.buffer and await self._post(list(self.buffer)):
            self.buffer.clear()
        self.check()


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
    from inngest_lab.sdk.checkpoint_sender import sender_for

    sender = sender_for(client.api_origin, headers)
    return Checkpointer(sender, identity, config, now_ms, now_ms(), asyncio.get_running_loop())


def run_complete(value: Any) -> dict[str, Any]:
    """The op that ends a checkpointed run with ``value`` (its raw return value, as TS sends it)."""
    return {"id": RUN_COMPLETE_ID, "op": Opcode.RUN_COMPLETE.value, "data": value}


def discovery_request(now_ms: int) -> dict[str, Any]:
    """The op asking the server for a fresh call (``maxRuntime`` reached), as TS names it."""
    return {"id": hash_step_id(f"discovery-request-{now_ms}"), "op": Opcode.DISCOVERY_REQUEST.value}


def stale_error() -> dict[str, Any]:
    """The error body of a call stopped by a stale dispatch (answered 400, not retried)."""
    return {"name": "StaleDispatchError", "message": "the server no longer runs this dispatch (checkpoint got 409)"}
