"""``RunsTable`` and ``FunctionTable``: what the engine runs and what it can run, live."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from html import escape
from typing import Any

import traitlets

from inngest_lab.engine.model import EventRecord, FunctionDef, Run
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.widgets.base import Handler
from inngest_lab.widgets.timeline import TimelineHost
from inngest_lab.workbench.live import RunChange
from inngest_lab.workbench.render import fmt_duration, fmt_time, rows_html, rows_text, short_json
from inngest_lab.workbench.source import WorkbenchSource

FLOW_KEYS = ("concurrency", "throttle", "rateLimit", "debounce", "batchEvents", "priority", "singleton", "idempotency")


def run_row(run: Run) -> dict[str, Any]:
    """One run as a table row (JSON)."""
    end = run.ended_at_ms
    return {
        "run_id": run.run_id,
        "fn_id": run.fn_id,
        "status": run.status.value,
        "event_name": str(run.event.get("name", "")) if run.events else "",
        "queued_at": run.created_at_ms,
        "started_at": run.started_at_ms,
        "ended_at": end,
        "duration": None if end is None or run.started_at_ms is None else end - run.started_at_ms,
    }


def function_row(fn: FunctionDef) -> dict[str, Any]:
    """One function as a table row: triggers as short strings, flow control as ``{option: config}``."""
    triggers = []
    for t in fn.triggers:
        if t.cron:
            triggers.append(f"cron {t.cron}")
        elif t.event:
            triggers.append(t.event + (f" if {t.expression}" if t.expression else ""))
    flow = {key: fn.config[key] for key in FLOW_KEYS if fn.config.get(key) not in (None, [], {})}
    return {
        "fn_id": fn.fn_id,
        "name": fn.name,
        "app_id": fn.app_id,
        "url": fn.url,
        "triggers": triggers,
        "retries": fn.retries,
        "cancel": [c.event + (f" if {c.if_exp}" if c.if_exp else "") for c in fn.cancel],
        "flow": flow,
    }


def _run_cells(r: Mapping[str, Any]) -> list[str]:
    return [
        r["status"],
        r["run_id"],
        r["fn_id"],
        r["event_name"],
        fmt_time(r["queued_at"]),
        fmt_duration(r["duration"]),
    ]


class RunsTable(TimelineHost):
    """Recent runs, newest first, filterable by status, function and age; statuses update live.

    ``RunsTable(event=record)`` lists the runs one event started (a cell ending in an event shows that).
    """

    view = traitlets.Unicode("runs").tag(sync=True)
    runs: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    functions: traitlets.List[str] = traitlets.List().tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)  # "" = every status
    fn_id = traitlets.Unicode("").tag(sync=True)  # "" = every function
    since_minutes = traitlets.Int(0).tag(sync=True)  # 0 = any age
    limit = traitlets.Int(50).tag(sync=True)
    event = traitlets.Dict().tag(sync=True)

    def __init__(
        self, source: WorkbenchSource | None = None, *, event: EventRecord | None = None, **kwargs: Any
    ) -> None:
        super().__init__(source, **kwargs)
        if event is not None:
            self.event = {
                "id": event.internal_id,
                "name": event.name,
                "received_at": event.received_at_ms,
                "payload": dict(event.payload),
            }
            # Draw the runs known now, so the output is complete even where it is never updated (nbconvert).
            self.runs = [run_row(r) for r in self.source.recent_runs_for_event(event.internal_id)]
        self._unwatch = self.source.watch(None, self._on_change)
        self.observe(lambda _change: self.reload(), names=["status", "fn_id", "since_minutes", "limit"])
        self.loaded: asyncio.Future[None] = self.reload()

    def reload(self) -> asyncio.Future[None]:
        """Read the runs that match the filters (and the function names for the filter)."""
        return self.spawn(self._load())

    async def _load(self) -> None:
        since = self.source.now_ms() - self.since_minutes * 60_000 if self.since_minutes else None
        runs = await self.source.runs(
            fn_id=self.fn_id or None,
            status=RunStatus(self.status) if self.status else None,
            event_id=self.event.get("id") or None,
            since_ms=since,
            limit=self.limit,
        )
        self.functions = [f.fn_id for f in await self.source.function_defs()]
        self.runs = [run_row(r) for r in runs]

    def _matches(self, run: Run) -> bool:
        if self.event:
            return self.event["id"] in run.event_ids
        if self.fn_id and run.fn_id != self.fn_id:
            return False
        if self.status and run.status.value != self.status:
            return False
        return not self.since_minutes or run.created_at_ms >= self.source.now_ms() - self.since_minutes * 60_000

    def _on_change(self, change: RunChange) -> None:
        """Pushed by the engine: update the row in place, add a new matching run on top, drop one that left."""
        if change.run is None:
            return
        row = run_row(change.run)
        rows = list(self.runs)
        index = next((i for i, r in enumerate(rows) if r["run_id"] == change.run_id), None)
        if not self._matches(change.run):
            if index is not None:
                del rows[index]
        elif index is not None:
            rows[index] = row
        else:
            rows = [row, *rows][: self.limit]
        if rows != self.runs:
            self.runs = rows

    def _handlers(self) -> Mapping[str, Handler]:
        async def refresh(_msg: Mapping[str, Any]) -> None:
            await self._load()

        return {**super()._handlers(), "refresh": refresh}

    def close(self) -> None:
        self._unwatch()
        super().close()

    def _table(self) -> tuple[list[str], list[list[str]]]:
        headers = ["status", "run id", "function", "trigger", "queued at", "duration"]
        rows = [[*_run_cells(r)] for r in self.runs]
        return headers, rows

    def __repr__(self) -> str:
        head = f"Event {self.event['name']} {self.event['id']}\n" if self.event else ""
        return head + rows_text(*self._table())

    def _fallback_html(self) -> str:
        head = ""
        if self.event:
            data = short_json(self.event["payload"].get("data"), 200)
            name, event_id = escape(self.event["name"]), escape(self.event["id"])
            head = f"<div>event <b>{name}</b> <code>{event_id}</code> data <code>{escape(data)}</code></div>"
        return head + rows_html(*self._table(), "inngest-runs-static")


class FunctionTable(TimelineHost):
    """Registered functions with their triggers and flow control, and an Invoke button per function."""

    view = traitlets.Unicode("functions").tag(sync=True)
    functions: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)

    def __init__(self, source: WorkbenchSource | None = None, **kwargs: Any) -> None:
        super().__init__(source, **kwargs)
        self._unwatch = self.source.watch_functions(self.reload)
        self.loaded: asyncio.Future[None] = self.spawn(self._load())

    def reload(self) -> None:
        self.spawn(self._load())

    async def _load(self) -> None:
        self.functions = [function_row(f) for f in await self.source.function_defs()]

    async def invoke(self, fn_id: str, data: Mapping[str, Any] | None = None) -> Run:
        """Invoke ``fn_id`` with ``data`` and show its run's timeline; returns the run."""
        event_id = await self.source.invoke(fn_id, data)
        [run] = await self.source.runs(event_id=event_id, limit=1)
        self.open_run(run)
        return run

    def _handlers(self) -> Mapping[str, Handler]:
        async def invoke(msg: Mapping[str, Any]) -> None:
            data = msg.get("data") or {}
            if not isinstance(data, Mapping):
                raise ValueError("invoke data must be a JSON object")
            await self.invoke(str(msg["fn_id"]), data)

        return {**super()._handlers(), "invoke": invoke}

    def close(self) -> None:
        self._unwatch()
        super().close()

    def _table(self) -> tuple[list[str], list[list[str]]]:
        headers = ["function", "triggers", "retries", "flow control"]
        rows = [
            [
                f["fn_id"],
                ", ".join(f["triggers"]),
                str(f["retries"]),
                "; ".join(f"{k} {json.dumps(v, sort_keys=True)}" for k, v in f["flow"].items()),
            ]
            for f in self.functions
        ]
        return headers, rows

    def __repr__(self) -> str:
        return rows_text(*self._table())

    def _fallback_html(self) -> str:
        return rows_html(*self._table(), "inngest-functions-static")
