"""``POST /v1/signals`` and ``Lab.send_signal``: resume the run whose ``step.waitForSignal`` holds a signal.

Go's ``ResumeSignal``: the signal index names the pause; an expired pause, a run that ended or no pause at all
is "no signal found" (404 on the wire). Exactly one sender wins a pause: the resume is decided in
``transact_flow`` (serialized against every other such decision, across processes), which records a
``signal-resumed:<pause>`` mark next to the ``ConsumePause``; a sender that finds the mark gets None.
"""

from __future__ import annotations

from collections.abc import Sequence

from inngest_lab.engine.flow.state import FlowView
from inngest_lab.engine.model import Command, ConsumePause, FlowEntry, Json, PutFlowState
from inngest_lab.engine.signal_wait import signal_resume_item
from inngest_lab.executor.ports import Clock
from inngest_lab.store.ports import Store

MARK_GRACE_MS = 3600_000  # the mark outlives the pause by this much, then flow-state housekeeping drops it


async def send_signal(store: Store, clock: Clock, signal: str, data: Json) -> str | None:
    """Resume the run waiting for ``signal`` with ``data``; its run id, or None when nothing waits."""
    pause = await store.pause_for_signal(signal)
    now = clock.now_ms()
    if pause is None or pause.expires_at_ms <= now:
        return None
    key = f"signal-resumed:{pause.pause_id}"

    def decide(view: FlowView) -> Sequence[Command]:
        mark = view.flow_state(key)
        run = view.run(pause.run_id)
        if (mark is not None and mark.live(now)) or run is None or run.status.is_terminal:
            return []
        return [
            PutFlowState(FlowEntry(key, {"run_id": pause.run_id}, pause.expires_at_ms + MARK_GRACE_MS)),
            ConsumePause(pause.pause_id, signal_resume_item(pause, signal, data, now)),
        ]

    return pause.run_id if await store.transact_flow(decide) else None
