"""``POST /v1/checkpoint/{runId}/async``: steps a checkpointing SDK finished inside one call request; and our own
extension, ``POST /v1/checkpoint/batch``: many such checkpoints (of any runs) in one request.

TS 4.24 checkpoints when the call request carries ``ctx.fn_id`` and ``ctx.qi_id`` (``engine/call_request.py``),
and so does our own SDK's fast path (``sdk/checkpointing.py``). Answers, as Inngest's (protocol-next doc 1.3):

* **200**, empty body: saved (a step already memoized is not saved again); the SDK runs its next step.
* **409**: the dispatch is stale (its lease was lost, or the run ended). The steps were still saved; the SDK
  stops and answers its call with a non-retriable 400, which the engine ignores (the lease is gone).
* 400 for a malformed body or an opcode that cannot be checkpointed, 404 for an unknown run,
  401 without the signing key (hashed, as SDKs send it) when keys are configured.

**Batch (group commit).** The body is a JSON array of per-run checkpoint bodies, each naming its ``run_id``; the
answer is a JSON array of results in the same order, each ``{"status": 200}`` or the error body the per-run
route would have answered (``{"code", "error", "status"}``: 400, 404 or 409). Every entry goes through the very
code of the per-run route (``_save``); entries of different runs commit concurrently, so the store can group
their writes, while the entries of one run keep their order. A body that is not a non-empty array of at most
``MAX_BATCH`` entries is a 400 naming the problem (413 past the cap). Inngest has no such route: the official
SDKs keep using the per-run one, and our SDK falls back to it when this route answers 404.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from inngest_lab.engine.checkpoint import CheckpointInvalid, parse_async_checkpoint
from inngest_lab.engine.model import Json
from inngest_lab.executor.checkpoint import CheckpointOutcome
from inngest_lab.protocol.consts import Header
from inngest_lab.server.errors import ApiError, BadRequest, Conflict, InternalError, NotFound, PayloadTooLarge
from inngest_lab.server.rest_api import AuthedHandler

log = logging.getLogger(__name__)

UNKNOWN_SDK = "unknown"
MAX_BATCH = 500
"""Most checkpoints in one batch request (our SDK sends at most this many per POST)."""


class _CheckpointHandler(AuthedHandler):
    async def _save(self, run_id: str, body: Json) -> None:
        """Save one checkpoint of ``run_id``; raises the route's ``ApiError`` (400, 404, 409) when it is not a 200."""
        try:
            cp = parse_async_checkpoint(run_id, body)
        except CheckpointInvalid as exc:
            raise BadRequest(f"Invalid checkpoint: {exc}") from None
        sdk = self.request.headers.get(Header.SDK.value) or UNKNOWN_SDK
        result = await self.ctx.engine.checkpoints.save(cp, sdk)
        if result.outcome is CheckpointOutcome.NOT_FOUND:
            raise NotFound(f"run {run_id} not found")
        if result.outcome is CheckpointOutcome.STALE:
            raise Conflict(f"stale dispatch: queue item {cp.qi_id} of run {run_id} is no longer being executed")


class AsyncCheckpointHandler(_CheckpointHandler):
    async def post(self, run_id: str) -> None:
        await self._save(run_id, self.json_body())
        self.set_status(200)
        self.finish()


class BatchCheckpointHandler(_CheckpointHandler):
    async def post(self) -> None:
        entries = self.json_body()
        if not isinstance(entries, list):
            raise BadRequest("Invalid checkpoint batch: the body must be a JSON array of checkpoint bodies")
        if not entries:
            raise BadRequest("Invalid checkpoint batch: the array is empty")
        if len(entries) > MAX_BATCH:
            raise PayloadTooLarge(f"Invalid checkpoint batch: {len(entries)} entries, at most {MAX_BATCH} per request")
        results: list[Json] = [None] * len(entries)
        by_run: dict[str, list[int]] = {}
        for i, entry in enumerate(entries):
            run_id = entry.get("run_id") if isinstance(entry, dict) else None
            if not isinstance(run_id, str) or not run_id or "\x00" in run_id:
                results[i] = BadRequest(f"Invalid checkpoint: [{i}].run_id must be a non-empty string").body()
            else:
                by_run.setdefault(run_id, []).append(i)
        await asyncio.gather(*(self._save_in_order(run_id, idx, entries, results) for run_id, idx in by_run.items()))
        self.write_json(results)

    async def _save_in_order(self, run_id: str, idx: Sequence[int], entries: list[Json], results: list[Json]) -> None:
        for i in idx:
            try:
                await self._save(run_id, entries[i])
                results[i] = {"status": 200}
            except ApiError as exc:
                results[i] = exc.body()
            except Exception:  # one entry's failure must not lose the others' answers: a 500 for it alone
                log.exception("checkpoint %d of run %s failed", i, run_id)
                results[i] = InternalError("internal error saving this checkpoint").body()


def routes(id_pattern: str) -> list[tuple[str, type[_CheckpointHandler]]]:
    return [
        (r"/v1/checkpoint/batch", BatchCheckpointHandler),
        (rf"/v1/checkpoint/{id_pattern}/async", AsyncCheckpointHandler),
    ]
