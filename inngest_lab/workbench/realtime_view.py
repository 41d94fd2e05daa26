"""A run's realtime messages in a notebook: the bounded log the kernel keeps, and the follower that fills it.

    log = await follow_realtime(lab, run_id)   # shows the run's timeline widget with its realtime pane

``RealtimeLog`` is the view model (the newest ``MAX_ROWS`` messages, newest last, the count of older ones
dropped, the latest progress); ``view()`` is what the widget's ``realtime`` trait holds and what the one front
end (``extension/src/components/realtime.ts``) draws. ``RealtimeFollower`` subscribes (``realtime(run_id)``)
before anything reads the run, so no message published after ``subscribed`` is missed, pumps the messages into
the log (a burst becomes one update every ``interval_s``), and stops when the run ends or on ``close``; the
messages queued before the end are still taken. A message whose data is an object with a numeric ``progress``
(clamped to [0, 1]) moves the progress bar.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping
from typing import Any, Protocol, runtime_checkable

from inngest_lab.engine.model import Json, Run
from inngest_lab.server.realtime_broker import RealtimeMessage, Subscription
from inngest_lab.workbench.kernel import in_ipython
from inngest_lab.workbench.render import realtime_html, realtime_text

MAX_ROWS = 200  # the log keeps the newest rows; a long stream does not grow the notebook without bound
FOLLOW_FOR_S = 24 * 3600.0  # a follower gives up on a run that has not ended after this long


@runtime_checkable
class RealtimeSource(Protocol):
    """What following a run's messages needs: ``Lab`` and ``AttachedLab`` both provide it."""

    async def realtime(self, run_id: str) -> Subscription: ...

    async def wait(self, target: str, timeout: float = 30.0) -> list[Run]: ...


def progress_of(data: Json) -> float | None:
    """The progress a message's data reports, clamped to [0, 1]; None when it reports none."""
    if isinstance(data, Mapping):
        p = data.get("progress")
        if isinstance(p, int | float) and not isinstance(p, bool) and p == p:  # p == p: not NaN
            return min(1.0, max(0.0, float(p)))
    return None


class RealtimeLog:
    """The messages of one run received so far (view model), bounded to ``max_rows``."""

    def __init__(self, run_id: str, max_rows: int = MAX_ROWS) -> None:
        self.run_id = run_id
        self.max_rows = max_rows
        self.messages: list[dict[str, Json]] = []
        self.dropped = 0
        self.progress: float | None = None
        self.done = False
        self.task: asyncio.Future[None] | None = None  # the follower's; done once the run ended and all is in

    def add(self, message: RealtimeMessage) -> None:
        self.messages.append(message.wire())
        over = len(self.messages) - self.max_rows
        if over > 0:
            del self.messages[:over]
            self.dropped += over
        progress = progress_of(message.data)
        if progress is not None:
            self.progress = progress

    def view(self) -> dict[str, Any]:
        """The front end's ``IRealtimeView`` (a copy: the trait must see a new value to sync it)."""
        return {
            "run_id": self.run_id,
            "messages": list(self.messages),
            "dropped": self.dropped,
            "progress": self.progress,
            "done": self.done,
        }

    def _repr_html_(self) -> str:
        return realtime_html(self.view())

    def __repr__(self) -> str:
        return realtime_text(self.view())


class RealtimeFollower:
    """Follows ``run_id``'s messages into ``log`` until the run ends or ``close``; ``on_change`` sees each update.

    ``start()`` (on the source's loop) returns once subscribed; the following goes on in ``log.task``.
    """

    def __init__(
        self,
        source: RealtimeSource,
        run_id: str,
        on_change: Callable[[RealtimeLog], None] | None = None,
        *,
        max_rows: int = MAX_ROWS,
        interval_s: float = 0.05,
    ) -> None:
        self.source = source
        self.log = RealtimeLog(run_id, max_rows)
        self.interval_s = interval_s
        self._on_change = on_change
        self._sub: Subscription | None = None
        self._closed = False

    async def start(self) -> None:
        """Subscribe, then follow in the background (``log.task``) until the run ends."""
        if self._closed:
            return
        self._sub = await self.source.realtime(self.log.run_id)
        if self._closed:  # closed while subscribing
            await self._sub.close()
            return
        self.log.task = asyncio.ensure_future(self._follow(self._sub))

    async def _follow(self, sub: Subscription) -> None:
        pumping = asyncio.ensure_future(self._pump(sub))
        ending = asyncio.ensure_future(self._run_end())
        ended = False
        try:
            # Until the run ends, or the subscription does (an attached Lab's stream dropped): nothing more comes.
            await asyncio.wait({pumping, ending}, return_when=asyncio.FIRST_COMPLETED)
            ended = ending.done() and not ending.cancelled() and ending.exception() is None
            if ended:
                await asyncio.sleep(0)  # messages published just before the end are already queued: let them in
        finally:
            ending.cancel()
            await sub.close()  # the pump takes what is queued, then ends
            with contextlib.suppress(asyncio.CancelledError):
                await pumping
            with contextlib.suppress(asyncio.CancelledError, Exception):  # a failed wait: not known to have ended
                await ending
            if ended and not self._closed:  # closing is not the run's end
                self.log.done = True
                self._emit()

    async def _run_end(self) -> None:
        with contextlib.suppress(TimeoutError):
            await self.source.wait(self.log.run_id, timeout=FOLLOW_FOR_S)

    async def _pump(self, sub: Subscription) -> None:
        while (message := await sub.next()) is not None:
            self.log.add(message)
            for _ in range(sub.pending):  # a burst already queued: one update for all of it
                queued = await sub.next()
                if queued is not None:
                    self.log.add(queued)
            self._emit()
            if not sub.closed:
                await asyncio.sleep(self.interval_s)  # coalesce: at most one update per interval

    def _emit(self) -> None:
        if self._on_change is not None and not self._closed:
            self._on_change(self.log)

    def close(self) -> None:
        """Stop following (from any thread): the subscription is closed and no update follows."""
        self._closed = True
        task = self.log.task
        if task is not None and not task.done():
            loop = task.get_loop()
            if not loop.is_closed():
                loop.call_soon_threadsafe(task.cancel)


async def follow_realtime(lab: RealtimeSource, run_id: str, *, show: bool = True) -> RealtimeLog:
    """Follow ``run_id``'s realtime messages until the run ends; returns the log (filled in the background).

    Subscribed when it returns. With ``show`` in IPython it displays the run's timeline widget, whose realtime
    pane is this log (the one front end draws it); without the widgets it displays the static HTML.
    """
    if show and in_ipython():
        from IPython.display import display

        try:
            from inngest_lab.widgets.timeline import RunTimeline
        except ImportError:  # anywidget is not installed: the static rendering, refreshed by the follower
            handle = display(RealtimeLog(run_id), display_id=True)  # type: ignore[no-untyped-call]
            follower = RealtimeFollower(lab, run_id, lambda log: handle.update(log))
        else:
            widget = RunTimeline(run_id, source=lab)  # type: ignore[arg-type]  # a Lab is a WorkbenchSource
            started = await widget.pane.realtime_started()
            assert started is not None  # ``lab`` is a RealtimeSource, so the pane follows
            display(widget)  # type: ignore[no-untyped-call]
            return started.log
    else:
        follower = RealtimeFollower(lab, run_id)
    await follower.start()
    return follower.log
