"""One process owns a SQLite file. A second ``inngest-lab dev`` on the same directory exits non-zero with a message
naming the file and the first process; an engine process that replaces a ``kill -9``'d one on the file takes it
over and fires each cron tick exactly once (the tick armed by the first is re-armed in the second)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from asyncio.subprocess import Process
from collections import Counter
from pathlib import Path

import aiohttp

from inngest_lab.executor.clock import FakeClock
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store.sqlite import SqliteStore
from tests.integration.conftest import REPO_ROOT, Cluster, Rest
from tests.services import free_port

ENGINE = Path(__file__).with_name("apps") / "cron_engine.py"
TEN_MINUTES = 600_000


async def test_a_second_dev_server_on_one_directory_exits_naming_the_file_and_the_first_pid(
    cluster: Cluster, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    first = cluster.server(free_port(), [])
    first.start()
    await Rest(first, http).ready(functions=0)
    assert first.proc is not None

    argv = [*first.argv]
    argv[argv.index("--port") + 1] = str(free_port())
    second = await asyncio.to_thread(
        subprocess.run, argv, capture_output=True, text=True, timeout=60, cwd=REPO_ROOT, env=first.env
    )
    assert second.returncode != 0
    assert "Traceback" not in second.stderr, second.stderr
    assert str(first.db_path.resolve()) in second.stderr, second.stderr
    assert f"process {first.proc.pid} on host" in second.stderr, second.stderr
    first.check_alive()  # the first one is unaffected


async def line(proc: Process) -> str:
    assert proc.stdout is not None
    return (await asyncio.wait_for(proc.stdout.readline(), 30)).decode().strip()


async def say(proc: Process, text: str) -> None:
    assert proc.stdin is not None
    proc.stdin.write(f"{text}\n".encode())
    await proc.stdin.drain()


async def engine(db: Path, start_ms: int, log: Path) -> Process:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ENGINE),
        str(db),
        str(start_ms),
        str(log),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    assert await line(proc) == "ready"
    return proc


async def test_cron_fires_each_tick_once_when_a_killed_engine_process_is_replaced(tmp_path: Path) -> None:
    db, log, start = tmp_path / "lab.db", tmp_path / "fired.log", FakeClock().now_ms()
    first = await engine(db, start, log)
    try:
        await say(first, f"at {start + TEN_MINUTES}")
        assert await line(first) == "ok"
    finally:
        first.kill()  # kill -9: the lock on the file dies with the process, its details stay behind
        await first.wait()

    second = await engine(db, start + TEN_MINUTES, log)  # takes the stale lock over; the next tick is armed
    try:
        for tick in (2, 3):
            await say(second, f"at {start + tick * TEN_MINUTES}")
            assert await line(second) == "ok"
    finally:
        if second.returncode is None:
            await say(second, "quit")
        await asyncio.wait_for(second.wait(), 10)

    ticks = ["2026-01-01T00:10:00Z", "2026-01-01T00:20:00Z", "2026-01-01T00:30:00Z"]
    assert Counter(log.read_text().split()) == Counter(ticks)  # each tick executed once
    store = SqliteStore(str(db))
    await store.open()
    try:
        runs = await store.list_runs(fn_id="app-tick")
        assert sorted(r.event["data"]["scheduledAt"] for r in runs) == ticks
        assert {r.status for r in runs} == {RunStatus.COMPLETED}
    finally:
        await store.close()
