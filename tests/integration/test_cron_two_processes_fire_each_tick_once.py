"""Two engine processes on one SQLite file both hold the armed cron tick; each tick still starts exactly one run,
executed once (the tick is idempotent in the store, not in either process)."""

from __future__ import annotations

import asyncio
import sys
from asyncio.subprocess import Process
from collections import Counter
from pathlib import Path

from inngest_lab.executor.clock import FakeClock
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store.sqlite import SqliteStore

ENGINE = Path(__file__).with_name("apps") / "cron_engine.py"
TEN_MINUTES = 600_000


async def line(proc: Process) -> str:
    assert proc.stdout is not None
    return (await asyncio.wait_for(proc.stdout.readline(), 30)).decode().strip()


async def say(proc: Process, text: str) -> None:
    assert proc.stdin is not None
    proc.stdin.write(f"{text}\n".encode())
    await proc.stdin.drain()


async def test_two_processes_on_one_file_fire_each_tick_once(tmp_path: Path) -> None:
    db, log, start = tmp_path / "lab.db", tmp_path / "fired.log", FakeClock().now_ms()
    procs: list[Process] = []
    try:
        for _ in range(2):  # the second opens after the first armed the tick, so it loads that tick too
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                str(ENGINE),
                str(db),
                str(start),
                str(log),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.DEVNULL,
            )
            procs.append(proc)
            assert await line(proc) == "ready"

        for tick in range(1, 4):
            for proc in procs:  # both wake for the same due tick at (nearly) the same moment
                await say(proc, f"at {start + tick * TEN_MINUTES}")
            assert [await line(proc) for proc in procs] == ["ok", "ok"]
    finally:
        for proc in procs:
            if proc.returncode is None:
                await say(proc, "quit")
        for proc in procs:
            await asyncio.wait_for(proc.wait(), 10)

    ticks = ["2026-01-01T00:10:00Z", "2026-01-01T00:20:00Z", "2026-01-01T00:30:00Z"]
    assert Counter(log.read_text().split()) == Counter(ticks)  # each tick executed once, by one of the two
    store = SqliteStore(str(db))
    await store.open()
    try:
        runs = await store.list_runs(fn_id="app-tick")
        assert sorted(r.event["data"]["scheduledAt"] for r in runs) == ticks
        assert {r.status for r in runs} == {RunStatus.COMPLETED}
    finally:
        await store.close()
