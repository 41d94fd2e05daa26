"""SQLite: a purge hands the freed pages back to the file system (``auto_vacuum = INCREMENTAL`` from birth), so
the database shrinks instead of only stopping growing."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from inngest_lab.engine.model import SaveRun, SaveStep
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store.sqlite import SqliteStore

from .records import a_run


def _pages(path: Path) -> tuple[int, int, int]:
    """``(auto_vacuum, page_count, freelist_count)`` as a reader of the file sees them."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        auto_vacuum, pages, free = (int(conn.execute(f"PRAGMA {p}").fetchone()[0]) for p in _PRAGMAS)
    finally:
        conn.close()
    return auto_vacuum, pages, free


_PRAGMAS = ("auto_vacuum", "page_count", "freelist_count")


async def test_purged_runs_give_their_pages_back(tmp_path: Path) -> None:
    path = tmp_path / "db" / "store.sqlite3"
    store = SqliteStore(str(path))
    await store.open()
    try:
        big = "x" * 20_000
        for i in range(100):
            run = replace(a_run(f"run-{i}", status=RunStatus.COMPLETED, event_ids=()), ended_at_ms=2_000)
            await store.apply([SaveRun(run), SaveStep(run.run_id, "s", {"data": big})])
        auto_vacuum, before, _ = _pages(path)
        assert auto_vacuum == 2, "a new file is INCREMENTAL"

        purged = await store.purge_finished(10_000, 500)

        _, after, free = _pages(path)
    finally:
        await store.close()
    assert purged.runs == 100
    assert after < before / 4, (before, after)
    assert free == 0
