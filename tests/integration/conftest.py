"""Whole-system harness: ``inngest-lab dev`` and SDK apps as real subprocesses, talking real HTTP on loopback.

``cluster`` (a fixture) starts processes and always kills them at teardown. ``DevServer.kill()`` is a
``kill -9``; ``start()`` again runs a fresh server process on the same port and SQLite directory, so the
app (whose ``INNGEST_DEV`` names that port) needs no change. ``Rest`` polls the REST API every 10 ms up to
a hard deadline, so waits are as short as the system allows and a hang fails with the logs attached.

Fixtures here must not shadow ``tests/integration/server/conftest.py`` (``engine``, ``serve``, ``dev_api``…).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import pytest

from inngest_lab.cli import DB_FILE
from inngest_lab.engine.model import HistoryKind
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store import sqlite_queries

T = TypeVar("T")

REPO_ROOT = Path(__file__).parents[2]
POLL_S = 0.01
"""Polling interval: short enough that a poll never dominates a test's run time."""
DEADLINE_S = 15.0
"""Hard limit for any single wait; generous for a loaded CI box, never reached when things work."""


def _tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return f"<{path.name}: no output>"
    return f"--- {path.name} ---\n" + "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


async def poll(probe: Callable[[], Awaitable[T | None]], what: str, *, timeout: float = DEADLINE_S) -> T:
    """Call ``probe`` every ``POLL_S`` until it returns something other than None; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        found = await probe()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")
        await asyncio.sleep(POLL_S)


@dataclass
class Process:
    """A subprocess whose stdout and stderr go to ``log`` (a file, so a chatty child can never block on a pipe)."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        assert self.proc is None or self.proc.poll() is not None, f"{self.name} is already running"
        with self.log.open("ab") as out:
            out.write(f"=== start {self.name}: {' '.join(self.argv)}\n".encode())
            out.flush()
            self.proc = subprocess.Popen(self.argv, stdout=out, stderr=subprocess.STDOUT, env=self.env, cwd=REPO_ROOT)

    def kill(self) -> None:
        """SIGKILL (``kill -9``): no shutdown code runs, nothing is flushed beyond what the OS already has."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def check_alive(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            code = None if self.proc is None else self.proc.returncode
            raise AssertionError(f"{self.name} exited with {code}\n{_tail(self.log)}")


@dataclass
class App(Process):
    """An SDK app script from ``tests/integration/apps``; it writes its port to ``port_file`` once listening."""

    port_file: Path = field(default_factory=Path)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/inngest"

    async def ready(self) -> App:
        async def port() -> int | None:
            self.check_alive()
            text = self.port_file.read_text() if self.port_file.exists() else ""
            return int(text) if text.strip() else None

        self.port = await poll(port, f"{self.name} to listen")
        return self


@dataclass
class DevServer(Process):
    """``inngest-lab dev`` on a fixed port and SQLite directory, so a restarted process takes over the first's state."""

    port: int = 0
    sqlite_dir: Path = field(default_factory=Path)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def db_path(self) -> Path:
        return self.sqlite_dir / DB_FILE

    def history(self, run_id: str) -> list[HistoryKind]:
        """The run's timeline, read from the server's SQLite file (the REST API does not expose it)."""
        conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=5)
        try:
            return [entry.kind for entry in sqlite_queries.history(conn, run_id)]
        finally:
            conn.close()


@dataclass
class Cluster:
    """Starts apps and dev servers for one test and tears every one of them down afterwards."""

    tmp: Path
    processes: list[Process] = field(default_factory=list)

    async def app(self, name: str, env: Mapping[str, str], *, server_port: int) -> App:
        """Run ``tests.integration.apps.<name>`` with ``INNGEST_DEV`` pointing at ``server_port``; wait until it
        listens.
        """
        port_file = self.tmp / f"{name}.port"
        full_env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "INNGEST_DEV": f"http://127.0.0.1:{server_port}",
            **env,
        }
        argv = [sys.executable, "-m", f"tests.integration.apps.{name}", "--port-file", str(port_file)]
        app = App(name, argv, full_env, self.tmp / f"{name}.log", port_file=port_file)
        self.processes.append(app)
        app.start()
        return await app.ready()

    def server(self, port: int, app_urls: list[str], sqlite_dir: Path | None = None) -> DevServer:
        """Describe (not start) a dev server that syncs ``app_urls`` once and never scans for other apps."""
        db_dir = sqlite_dir or self.tmp / "db"
        argv = [sys.executable, "-m", "inngest_lab.cli", "dev", "--port", str(port), "--sqlite-dir", str(db_dir)]
        argv += ["--no-discovery", "--no-poll", "--workers", "8"]
        for url in app_urls:
            argv += ["-u", url]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        server = DevServer("dev-server", argv, env, self.tmp / "dev-server.log", port=port, sqlite_dir=db_dir)
        self.processes.append(server)
        return server

    def logs(self) -> str:
        return "\n".join(_tail(p.log) for p in self.processes)

    def close(self) -> None:
        for p in self.processes:
            p.kill()


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    c = Cluster(tmp_path)
    try:
        yield c
    finally:
        c.close()


@dataclass
class Rest:
    """A small client for one dev server's HTTP API."""

    server: DevServer
    session: aiohttp.ClientSession

    async def get(self, path: str) -> tuple[int, Any]:
        async with self.session.get(self.server.url + path) as resp:
            return resp.status, await resp.json(content_type=None)

    async def data(self, path: str) -> Any:
        status, body = await self.get(path)
        assert status == 200, f"GET {path} -> {status}: {body}"
        return body["data"]

    async def send(self, name: str, data: Mapping[str, Any] | None = None) -> str:
        """``POST /e/{key}`` one event; return its internal id."""
        payload = [{"name": name, "data": dict(data or {})}]
        async with self.session.post(self.server.url + "/e/test-key", json=payload) as resp:
            body = await resp.json(content_type=None)
            assert resp.status == 200, body
        [event_id] = body["ids"]
        return str(event_id)

    async def ready(self, functions: int) -> None:
        """Wait until the server answers and has synced at least ``functions`` functions."""

        async def synced() -> bool | None:
            self.server.check_alive()
            try:
                status, body = await self.get("/dev")
            except aiohttp.ClientError:
                return None  # not listening yet
            return True if status == 200 and len(body.get("functions", [])) >= functions else None

        await poll(synced, f"the dev server to sync {functions} functions")

    async def run_of(self, event_id: str) -> dict[str, Any]:
        """The one run ``event_id`` started, once it exists."""

        async def first() -> dict[str, Any] | None:
            status, body = await self.get(f"/v1/events/{event_id}/runs")
            if status == 404:
                return None  # not stored yet
            assert status == 200, body
            runs: list[dict[str, Any]] = body["data"]
            return runs[0] if runs else None

        return await poll(first, f"a run for event {event_id}")

    async def finished(self, run_id: str) -> dict[str, Any]:
        """``/v1/runs/{id}`` once the run has ended."""

        async def ended() -> dict[str, Any] | None:
            self.server.check_alive()
            run: dict[str, Any] = await self.data(f"/v1/runs/{run_id}")
            return run if RunStatus(run["status"]).is_terminal else None  # not Queued, not Running

        return await poll(ended, f"run {run_id} to end")

    async def events(self, name: str, *, at_least: int = 0) -> list[dict[str, Any]]:
        """Stored events named ``name``, newest first; waits until there are ``at_least`` of them.

        The server publishes its own events (``inngest/function.*``) through its queue after the run's
        commit, so they may appear a moment after the run reports its end.
        """

        async def listed() -> list[dict[str, Any]] | None:
            found: list[dict[str, Any]] = await self.data(f"/v1/events?name={name}&limit=100")
            return found if len(found) >= at_least else None

        return await poll(listed, f"{at_least} {name} events")

    async def in_history(self, run_id: str, kind: HistoryKind) -> None:
        """Wait until the server has committed ``kind`` to the run's timeline."""

        async def seen() -> bool | None:
            self.server.check_alive()
            return True if kind in self.server.history(run_id) else None

        await poll(seen, f"{kind.value} in the history of run {run_id}")


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        yield session


def step_lines(path: Path) -> list[str]:
    """Lines the app's step bodies appended to their log file (one per execution)."""
    return path.read_text().splitlines() if path.exists() else []
