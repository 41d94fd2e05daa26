"""The Skipped run record: an event matched a function but no run was started, and here is why.

A skipped run is a real run row (status ``Skipped``, ended at once) so it shows in run listings, in
``GET /v1/runs/{id}`` and ``/v1/events/{id}/runs`` (with ``skip_reason``) and in its history, exactly like
Inngest lists skipped runs. It has no queue item, emits no lifecycle event and never calls the SDK.
"""

from __future__ import annotations

from collections.abc import Mapping

from inngest_lab.engine.ingest import RunPlan
from inngest_lab.engine.model import AppendHistory, Command, HistoryEntry, HistoryKind, Json, Run, SaveRun
from inngest_lab.protocol.consts import RunStatus, SkipReason


def skip_run(
    plan: RunPlan, now_ms: int, run_id: str, reason: SkipReason, detail: Mapping[str, Json] | None = None
) -> list[Command]:
    """Commands recording ``plan`` as a run Skipped for ``reason``.

    ``detail`` (JSON, e.g. ``{"existing_run_id": …}`` for a singleton) becomes the run's output and is
    merged into the history entry, so both the REST API and the timeline explain the skip.
    """
    fn = plan.fn
    info = dict(detail or {})
    run = Run(
        run_id=run_id,
        fn_id=fn.fn_id,
        app_id=fn.app_id,
        status=RunStatus.SKIPPED,
        events=tuple(e.payload for e in plan.events),
        event_ids=tuple(e.internal_id for e in plan.events),
        created_at_ms=now_ms,
        max_attempts=fn.max_attempts,
        ended_at_ms=now_ms,
        output=info or None,
        skip_reason=reason.value,
    )
    data: dict[str, Json] = {
        **info,
        "reason": reason.value,
        "event_ids": list(run.event_ids),
        "event_name": plan.events[0].name if plan.events else None,
    }
    return [SaveRun(run), AppendHistory(HistoryEntry(run_id, now_ms, HistoryKind.RUN_SKIPPED, data=data))]
