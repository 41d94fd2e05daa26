"""``RunTimeline``: a live Gantt view of one run, and ``TimelinePane``, the same view inside other widgets.

Both show the run's realtime stream under the timeline (``workbench/realtime_view.py``): the pane follows it
into a second trait while the run goes on, and the front end draws it once the run published anything.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import traitlets

from inngest_lab.engine.model import Run
from inngest_lab.engine.timeline import build_timeline
from inngest_lab.widgets.base import FrontEnd, Handler, LiveWidget
from inngest_lab.workbench.feed import RunFeed
from inngest_lab.workbench.realtime_view import RealtimeFollower, RealtimeLog, RealtimeSource
from inngest_lab.workbench.render import realtime_html, realtime_text, timeline_html, timeline_text
from inngest_lab.workbench.source import WorkbenchSource


class TimelinePane:
    """Keeps one run's timeline view model in ``widget.<trait>`` and its realtime messages in
    ``widget.<realtime_trait>``; ``show`` switches runs, ``close`` stops both."""

    def __init__(self, widget: LiveWidget, trait: str, realtime_trait: str) -> None:
        self._widget = widget
        self._trait = trait
        self._realtime_trait = realtime_trait
        self.feed: RunFeed | None = None
        self.realtime: RealtimeFollower | None = None
        self._subscribing: asyncio.Future[None] | None = None

    def show(self, run: Run | str | None) -> None:
        self.close()
        setattr(self._widget, self._realtime_trait, {})
        if run is None:
            setattr(self._widget, self._trait, {})
            return
        run_id = run if isinstance(run, str) else run.run_id
        source = self._widget.source
        if isinstance(source, RealtimeSource):
            # Subscribed before the feed reads the run (spawned first, on the same loop): nothing is missed.
            self.realtime = RealtimeFollower(source, run_id, self._set_realtime)
            self._subscribing = self._widget.spawn(self.realtime.start())
        if isinstance(run, Run) and source.snapshot(run_id) is None:
            # Draw what we know now (the run without its steps) while the history loads.
            setattr(self._widget, self._trait, build_timeline(run, [], source.now_ms()))
        self.feed = RunFeed(source, run_id, self._set)
        if self.feed.loaded is not None:
            self.feed.loaded.add_done_callback(self._loaded)

    def _set(self, view: dict[str, Any]) -> None:
        setattr(self._widget, self._trait, view)

    def _set_realtime(self, log: RealtimeLog) -> None:
        setattr(self._widget, self._realtime_trait, log.view())

    async def realtime_started(self) -> RealtimeFollower | None:
        """Wait until the realtime follower is subscribed; it (None when the source has no realtime)."""
        if self._subscribing is not None:
            await asyncio.shield(self._subscribing)
        return self.realtime

    def _loaded(self, fut: Any) -> None:
        if not fut.cancelled() and fut.exception() is not None:
            self._widget.notice = str(fut.exception())

    @property
    def run_id(self) -> str | None:
        return self.feed.run_id if self.feed is not None else None

    def close(self) -> None:
        if self.feed is not None:
            self.feed.close()
            self.feed = None
        if self.realtime is not None:
            self.realtime.close()
            self.realtime = None
            self._subscribing = None

    def handlers(self) -> dict[str, Handler]:
        """The timeline's buttons: cancel, and rerun (the new run replaces the run in the view)."""
        source = self._widget.source

        async def cancel(msg: Mapping[str, Any]) -> None:
            await source.cancel(str(msg.get("run_id") or self.run_id))

        async def rerun(msg: Mapping[str, Any]) -> None:
            self.show(await source.rerun(str(msg.get("run_id") or self.run_id)))

        return {"cancel": cancel, "rerun": rerun}


class RunTimeline(LiveWidget):
    """A run's steps as a Gantt chart that updates as the engine commits; click a row for its details.

    ``RunTimeline(run)`` or ``RunTimeline("01H...")``; a cell ending in a ``Run`` shows one too.
    """

    view = traitlets.Unicode("timeline").tag(sync=True)
    data = traitlets.Dict().tag(sync=True)
    realtime = traitlets.Dict().tag(sync=True)  # RealtimeLog.view() of the run's messages; {} before any

    def __init__(self, run: Run | str, source: WorkbenchSource | None = None, **kwargs: Any) -> None:
        super().__init__(source, **kwargs)
        self.pane = TimelinePane(self, "data", "realtime")
        self.pane.show(run)

    @property
    def run_id(self) -> str | None:
        return self.pane.run_id

    def _handlers(self) -> Mapping[str, Handler]:
        return self.pane.handlers()

    def refresh(self) -> None:
        """Push pending changes to the front end now (they are otherwise coalesced for a few ms)."""
        if self.pane.feed is not None:
            self.pane.feed.flush()

    def close(self) -> None:
        self.pane.close()
        super().close()

    def __repr__(self) -> str:
        if not self.data:
            return f"RunTimeline({self.run_id!r}, loading)"
        stream = "\n" + realtime_text(self.realtime) if self.realtime.get("messages") else ""
        return timeline_text(self.data) + stream

    def _fallback_html(self) -> str | None:
        if not self.data:
            return None
        stream = realtime_html(self.realtime) if self.realtime.get("messages") else ""
        return timeline_html(self.data) + stream


class TimelineSnapshot(FrontEnd):
    """A timeline drawn from a view model as it was (e.g. ``GET /lab/runs/{id}/trace`` of a server): not live."""

    view = traitlets.Unicode("timeline").tag(sync=True)
    data = traitlets.Dict().tag(sync=True)

    def __init__(self, view: Mapping[str, Any], **kwargs: Any) -> None:
        super().__init__(data=dict(view), static=True, **kwargs)

    def __repr__(self) -> str:
        return timeline_text(self.data)

    def _fallback_html(self) -> str:
        return timeline_html(self.data)


class TimelineHost(LiveWidget):
    """Base of widgets that list runs: ``{"type": "open", "run_id"}`` shows that run's timeline below them."""

    timeline = traitlets.Dict().tag(sync=True)
    timeline_realtime = traitlets.Dict().tag(sync=True)  # the opened run's realtime messages

    def __init__(self, source: WorkbenchSource | None = None, **kwargs: Any) -> None:
        super().__init__(source, **kwargs)
        self.pane = TimelinePane(self, "timeline", "timeline_realtime")

    def open_run(self, run: Run | str | None) -> None:
        """Show ``run``'s live timeline under the widget (None hides it)."""
        self.pane.show(run)

    def _handlers(self) -> Mapping[str, Handler]:
        async def open_(msg: Mapping[str, Any]) -> None:
            self.open_run(str(msg["run_id"]) if msg.get("run_id") else None)

        return {**self.pane.handlers(), "open": open_}

    def close(self) -> None:
        self.pane.close()
        super().close()
