"""Seeding a store with many runs, and the runs page's first paint as the browser times it: shared by the
100,000-run browser test and ``benchmarks/dashboard_first_paint.py``."""

from __future__ import annotations

import time
from dataclasses import dataclass

from playwright.sync_api import Page

from inngest_lab.engine.model import EventRecord, Run, SaveRun, StoreEvent
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store.sqlite import SqliteStore

BATCH = 2_000


async def seed(path: str, count: int) -> float:
    """``count`` ended runs (one in 17 failed) of five functions with their events, spread over the last 30 days,
    written through the store's own ``apply``; returns the seconds it took."""
    from ulid import ULID

    store = SqliteStore(path)
    await store.open()
    started = time.perf_counter()
    now = int(time.time() * 1000)
    span = 30 * 86_400_000
    try:
        for first in range(0, count, BATCH):
            commands: list[SaveRun | StoreEvent] = []
            for i in range(first, min(first + BATCH, count)):
                at = now - span + (span * i) // count
                event_id, run_id = str(ULID.from_timestamp(at / 1000)), str(ULID.from_timestamp(at / 1000))
                payload = {"id": event_id, "name": "bench/order.placed", "data": {"n": i}, "ts": at, "user": {}}
                commands.append(StoreEvent(EventRecord(event_id, payload, at)))
                run = Run(
                    run_id=run_id,
                    fn_id=f"bench-fn-{i % 5}",
                    app_id="bench",
                    status=RunStatus.COMPLETED if i % 17 else RunStatus.FAILED,
                    events=(payload,),
                    event_ids=(event_id,),
                    created_at_ms=at,
                    max_attempts=4,
                    started_at_ms=at + 3,
                    ended_at_ms=at + 250,
                    output={"ok": True, "n": i},
                )
                commands.append(SaveRun(run))
            await store.apply(commands)
    finally:
        await store.close()
    return time.perf_counter() - started


@dataclass(frozen=True, slots=True)
class Paint:
    first_contentful_paint_ms: float
    runs_table_ms: float  # the first page of runs in the table, painted


def runs_page_paint(page: Page, url: str, rows: int = 50) -> Paint:
    """Open ``url``/runs and read, on the page's own clock (ms since navigation start), its first contentful
    paint and the frame after the table first holds ``rows`` runs."""
    page.goto(f"{url}/runs")
    page.wait_for_function(
        """(rows) => {
            if (document.querySelectorAll('[data-testid=runs-table] tbody tr').length < rows) return false;
            if (!window.__rowsAt) requestAnimationFrame(() => { window.__rowsAt = performance.now(); });
            return window.__rowsAt !== undefined;
        }""",
        arg=rows,
        polling="raf",
    )
    fcp = page.evaluate("() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1")
    return Paint(float(fcp), float(page.evaluate("() => window.__rowsAt")))
