"""What the checkpoint scenarios read from the TS app (``ts_app/app.mjs``): its own count of the call requests the
server made for a run, and of how often each step body ran. Only the TS SDK checkpoints (protocol-next doc 0)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from inngest_lab.engine.model import HistoryKind
from tests.integration.official.harness import Sdk, Target


def ts(target: Target) -> Target:
    return target.with_sdk(Sdk.TS)


async def app_stats(target: Target, run_id: str) -> dict[str, Any]:
    """``{"calls": n, "steps": {name: executions}}`` for ``run_id``, as the TS app counted them."""
    url = f"http://127.0.0.1:{target.stack.app_ports[Sdk.TS]}/stats?run={run_id}"
    async with target.session.get(url) as resp:
        assert resp.status == 200
        body: dict[str, Any] = await resp.json()
        return body


def completed_steps(target: Target, run_id: str) -> Counter[str]:
    """How many times each step id was recorded as completed in the run's timeline."""
    return Counter(e.step_id or "" for e in target.history(run_id) if e.kind is HistoryKind.STEP_COMPLETED)
