"""``POST /v1/checkpoint/{runId}/async``: steps a checkpointing SDK finished inside one call request.

TS 4.24 checkpoints when the call request carries ``ctx.fn_id`` and ``ctx.qi_id`` (``engine/call_request.py``),
and so does our own SDK's fast path (``sdk/checkpointing.py``). Answers, as Inngest's (protocol-next doc 1.3):

* **200**, empty body: saved (a step already memoized is not saved again); the SDK runs its next step.
* **409**: the dispatch is stale (its lease was lost, or the run ended). The steps were still saved; the SDK
  stops and answers its call with a non-retriable 400, which the engine ignores (the lease is gone).
* 400 for a malformed body or an opcode that cannot be checkpointed, 404 for an unknown run,
  401 without the signing key (hashed, as SDKs send it) when keys are configured.
"""

from __future__ import annotations

from inngest_lab.engine.checkpoint import CheckpointInvalid, parse_async_checkpoint
from inngest_lab.executor.checkpoint import CheckpointOutcome
from inngest_lab.protocol.consts import Header
from inngest_lab.server.errors import BadRequest, Conflict, NotFound
from inngest_lab.server.rest_api import AuthedHandler

UNKNOWN_SDK = "unknown"


class AsyncCheckpointHandler(AuthedHandler):
    async def post(self, run_id: str) -> None:
        try:
            cp = parse_async_checkpoint(run_id, self.json_body())
        except CheckpointInvalid as exc:
            raise BadRequest(f"Invalid checkpoint: {exc}") from None
        sdk = self.request.headers.get(Header.SDK.value) or UNKNOWN_SDK
        result = await self.ctx.engine.checkpoints.save(cp, sdk)
        if result.outcome is CheckpointOutcome.NOT_FOUND:
            raise NotFound(f"run {run_id} not found")
        if result.outcome is CheckpointOutcome.STALE:
            raise Conflict(f"stale dispatch: queue item {cp.qi_id} of run {run_id} is no longer being executed")
        self.set_status(200)
        self.finish()


def routes(id_pattern: str) -> list[tuple[str, type[AsyncCheckpointHandler]]]:
    return [(rf"/v1/checkpoint/{id_pattern}/async", AsyncCheckpointHandler)]
