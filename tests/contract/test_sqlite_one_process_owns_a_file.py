"""SQLite only: one process owns a database file. A second store (in another process or in this one) is refused
at open with ``DatabaseInUseError``, whose message names the file and the holder; the lock dies with its holder."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from inngest_lab.engine.model import Enqueue
from inngest_lab.store.sqlite import SqliteStore
from inngest_lab.store.sqlite_lock import DatabaseInUseError, lock_path_for

from .records import an_item

HOLDER = """
import asyncio, sys
from inngest_lab.store.sqlite import SqliteStore

async def main() -> None:
    store = SqliteStore(sys.argv[1])
    await store.open()
    print("open", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    await store.close()

asyncio.run(main())
"""


def real(path: str) -> str:
    return os.path.realpath(path)


def leave_stale_lock(path: str, text: str) -> None:
    Path(lock_path_for(path)).write_text(text)


async def test_a_second_store_on_the_same_file_is_refused_until_the_first_closes(tmp_path: Path) -> None:
    path = str(tmp_path / "lab.db")
    first = SqliteStore(path)
    await first.open()
    try:
        second = SqliteStore(path)
        with pytest.raises(DatabaseInUseError) as refused:
            await second.open()
        message = str(refused.value)
        assert real(path) in message
        assert f"pid {os.getpid()}" in message
        assert refused.value.db_path == path
        with pytest.raises(RuntimeError):  # the refused store left nothing open
            await second.list_apps()
        await first.apply([Enqueue(an_item("a", due_at_ms=0))])  # the owner is unaffected
    finally:
        await first.close()

    await second.open()  # the file is free again
    try:
        assert [lease.item.item_id for lease in await second.lease(0, 1, 1_000)] == ["a"]
    finally:
        await second.close()


async def test_a_stale_lock_file_is_taken_over(tmp_path: Path) -> None:
    path = str(tmp_path / "lab.db")
    leave_stale_lock(path, '{"pid": 1, "host": "gone"}')  # left by a process that died
    store = SqliteStore(path)
    await store.open()
    await store.close()


async def test_in_memory_stores_need_no_lock(tmp_path: Path) -> None:
    first, second = SqliteStore(":memory:"), SqliteStore(":memory:")
    await first.open()
    await second.open()
    await second.close()
    await first.close()


async def test_a_file_held_by_another_process_is_refused_naming_it_and_freed_when_it_is_killed(tmp_path: Path) -> None:
    path = str(tmp_path / "lab.db")
    holder = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        HOLDER,
        path,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    try:
        assert holder.stdout is not None
        assert (await asyncio.wait_for(holder.stdout.readline(), 30)).strip() == b"open"
        store = SqliteStore(path)
        with pytest.raises(DatabaseInUseError) as refused:
            await store.open()
        message = str(refused.value)
        assert real(path) in message
        assert f"process {holder.pid} on host" in message
        assert "command:" in message
        assert "started" in message
        assert refused.value.owner is not None
        assert refused.value.owner["pid"] == holder.pid
    finally:
        holder.send_signal(signal.SIGKILL)  # kill -9: no shutdown code runs, the kernel drops the lock
        await holder.wait()

    await store.open()
    await store.close()
