"""``EventComposer``: write an event, validate it, send it, and follow the runs it started."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import traitlets

from inngest_lab.protocol.events import EventValidationError, normalize_events
from inngest_lab.widgets.base import Handler
from inngest_lab.widgets.tables import run_row
from inngest_lab.widgets.timeline import TimelineHost
from inngest_lab.workbench.live import RunChange
from inngest_lab.workbench.render import rows_html, rows_text
from inngest_lab.workbench.source import WorkbenchSource


def parse_event(name: str, data_json: str, now_ms: int) -> dict[str, Any]:
    """The event the form describes, validated as the Event API would; raises ValueError with the reason."""
    try:
        data = json.loads(data_json) if data_json.strip() else {}
    except json.JSONDecodeError as exc:
        raise ValueError(f"data is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from exc
    event = {"name": name.strip(), "data": data}
    try:
        normalize_events(event, now_ms, lambda _i: "check")
    except EventValidationError as exc:
        raise ValueError(str(exc)) from exc
    return event


class EventComposer(TimelineHost):
    """A name and a JSON data editor; Send validates, sends, then lists the runs the event started.

    Each sent event stays listed with its runs, whose statuses update live; a run opens its timeline.
    ``event_url`` is what "copy as cURL" posts to (the dev server's Event API by default).
    """

    view = traitlets.Unicode("composer").tag(sync=True)
    name = traitlets.Unicode("").tag(sync=True)
    data = traitlets.Unicode("{}").tag(sync=True)
    sent: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    suggestions: traitlets.List[str] = traitlets.List().tag(sync=True)  # event names that trigger a registered function
    event_url = traitlets.Unicode("http://127.0.0.1:8288/e/dev").tag(sync=True)

    def __init__(
        self, source: WorkbenchSource | None = None, *, name: str = "", data: Mapping[str, Any] | None = None, **kw: Any
    ) -> None:
        super().__init__(source, name=name, data=json.dumps(data or {}, indent=2), **kw)
        self._unwatch = self.source.watch(None, self._on_change)
        self._unwatch_functions = self.source.watch_functions(self._refresh_suggestions)
        self._refresh_suggestions()

    def _refresh_suggestions(self) -> None:
        self.spawn(self._suggest())

    async def _suggest(self) -> None:
        names = {t.event for f in await self.source.function_defs() for t in f.triggers if t.event}
        self.suggestions = sorted(n for n in names if not n.startswith("inngest/"))

    async def send(self) -> list[dict[str, Any]]:
        """Validate the form, send the event, list the runs it started (newest first); returns those rows."""
        event = parse_event(self.name, self.data, self.source.now_ms())
        [event_id] = await self.source.send_async([event])
        runs = [run_row(r) for r in await self.source.runs(event_id=event_id)]
        self.sent = [{"event_id": event_id, "name": event["name"], "runs": runs}, *self.sent]
        if len(runs) == 1:
            self.open_run(runs[0]["run_id"])
        return runs

    def _handlers(self) -> Mapping[str, Handler]:
        async def send(msg: Mapping[str, Any]) -> None:
            self.name, self.data = str(msg.get("name", self.name)), str(msg.get("data", self.data))
            await self.send()

        return {**super()._handlers(), "send": send}

    def _on_change(self, change: RunChange) -> None:
        if change.run is None or not any(change.run_id == r["run_id"] for s in self.sent for r in s["runs"]):
            return
        row = run_row(change.run)
        self.sent = [{**s, "runs": [row if r["run_id"] == row["run_id"] else r for r in s["runs"]]} for s in self.sent]

    def close(self) -> None:
        self._unwatch()
        self._unwatch_functions()
        super().close()

    def _table(self) -> tuple[list[str], list[list[str]]]:
        rows = [[s["name"], s["event_id"], r["fn_id"], r["run_id"], r["status"]] for s in self.sent for r in s["runs"]]
        return ["event", "event id", "function", "run id", "status"], rows

    def __repr__(self) -> str:
        return f"EventComposer(name={self.name!r})\n" + rows_text(*self._table())

    def _fallback_html(self) -> str:
        return rows_html(*self._table(), "inngest-composer-static")
