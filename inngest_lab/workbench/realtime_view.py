"""A run's realtime messages, live in a notebook: a streaming log with a progress bar when the data has one.

    log = await follow_realtime(lab, run_id)   # displays itself and updates as messages arrive

``RealtimeLog`` is the view model (the messages received, newest last) and its self-contained HTML rendering;
``follow_realtime`` subscribes (``Lab.realtime``) before returning, so no message published after the call is
missed, and stops following when the run ends. Outside IPython nothing is displayed; the log still fills.
A message whose data is an object with a numeric ``progress`` in [0, 1] moves the progress bar.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Mapping
from html import escape
from typing import Any, Protocol

from inngest_lab.engine.model import Json, Run
from inngest_lab.server.realtime_broker import RealtimeMessage, Subscription
from inngest_lab.workbench.kernel import in_ipython

MAX_ROWS = 200  # the log keeps the newest rows; a long stream does not grow the notebook without bound


class _RealtimeLab(Protocol):
    async def realtime(self, run_id: str) -> Subscription: ...

    async def wait(self, target: str, timeout: float = 30.0) -> list[Run]: ...


class RealtimeLog:
    """The messages of one run (view model) and their HTML."""

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        self.messages: list[dict[str, Json]] = []
        self.dropped = 0
        self.progress: float | None = None
        self.done = False
        self._handle: Any = None
        self.task: asyncio.Future[None] | None = None  # following the run (follow_realtime); done when it ended

    def add(self, message: RealtimeMessage) -> None:
        self.messages.append(message.wire())
        if len(self.messages) > MAX_ROWS:
            del self.messages[0]
            self.dropped += 1
        data = message.data
        if isinstance(data, Mapping) and isinstance(data.get("progress"), int | float):
            self.progress = min(1.0, max(0.0, float(data["progress"])))
        self._refresh()

    def finish(self) -> None:
        self.done = True
        self._refresh()

    def show(self) -> None:
        """Display in the current cell (IPython only), to be updated in place."""
        if in_ipython():
            from IPython.display import display

            self._handle = display(self, display_id=True)  # type: ignore[no-untyped-call]

    def _refresh(self) -> None:
        if self._handle is not None:
            self._handle.update(self)

    def _repr_html_(self) -> str:
        state = "ended" if self.done else "live"
        head = f"<b>realtime</b> · run <code>{escape(self.run_id)}</code> · {len(self.messages)} messages · {state}"
        bar = ""
        if self.progress is not None:
            bar = f'<div><progress value="{self.progress:.3f}" max="1" style="width:100%"></progress></div>'
        rows = "".join(
            f"<tr><td>{escape(str(m.get('created_at', '')))}</td>"
            f"<td>{escape(str(m.get('channel')))}</td><td>{escape(str(m.get('topic')))}</td>"
            f"<td><code>{escape(json.dumps(m.get('data'), separators=(',', ':'))[:500])}</code></td></tr>"
            for m in self.messages
        )
        skipped = f"<div>… {self.dropped} older messages not shown</div>" if self.dropped else ""
        return (
            f'<div class="inngest-lab-realtime">{head}{bar}{skipped}<table>'
            "<tr><th>at</th><th>channel</th><th>topic</th><th>data</th></tr>"
            f"{rows}</table></div>"
        )

    def __repr__(self) -> str:
        lines = [f"realtime run {self.run_id}: {len(self.messages)} messages"]
        lines += [f"  {m.get('channel')}/{m.get('topic')}: {json.dumps(m.get('data'))}" for m in self.messages[-10:]]
        return "\n".join(lines)


async def follow_realtime(lab: _RealtimeLab, run_id: str, *, show: bool = True) -> RealtimeLog:
    """Display ``run_id``'s realtime messages live until the run ends; returns the log (filled in the background)."""
    log = RealtimeLog(run_id)
    sub = await lab.realtime(run_id)
    if show:
        log.show()

    async def pump() -> None:
        async for message in sub:
            log.add(message)

    async def until_done() -> None:
        pumping = asyncio.ensure_future(pump())
        try:
            with contextlib.suppress(TimeoutError):
                await lab.wait(run_id, timeout=24 * 3600)
            await asyncio.sleep(0)  # messages published just before the end are already queued: let them in
        finally:
            await sub.close()
            await pumping
            log.finish()

    log.task = asyncio.ensure_future(until_done())
    return log
