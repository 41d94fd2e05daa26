"""``POST /v1/signals`` and ``Lab.send_signal``: resume the run whose ``step.waitForSignal`` holds a signal.

Go's ``ResumeSignal``: the signal index names the pause; an expired pause, a run that ended or no pause at all
is "no signal found" (404 on the wire). The pause is consumed with ``ConsumePause``, so a run resumes once even
when two signals race for it.
"""

from __future__ import annotations

from inngest_lab.engine.model import ConsumePause, Json
from inngest_lab.engine.signal_wait import signal_resume_item
from inngest_lab.executor.ports import Clock
from inngest_lab.store.ports import Store


async def send_signal(store: Store, clock: Clock, signal: str, data: Json) -> str | None:
    """Resume the run waiting for ``signal`` with ``data``; its run id, or None when nothing waits."""
    pause = await store.pause_for_signal(signal)
    now = clock.now_ms()
    if pause is None or pause.expires_at_ms <= now:
        return None
    run = await store.load_run(pause.run_id)
    if run is None or run.status.is_terminal:
        return None
    await store.apply([ConsumePause(pause.pause_id, signal_resume_item(pause, signal, data, now))])
    return pause.run_id
