"""Production mode under test: several ``inngest-lab dev`` processes on one Postgres + one Redis, one app.

``deployment`` (a fixture) starts the app (``app.py``, our SDK) and server processes that share the URIs
it was given; every process is killed at teardown. A ``Server`` keeps its port, so ``kill()`` (``kill -9``)
then ``start()`` brings a fresh process back where clients expect it. The test reads what the deployment
recorded straight from Postgres (``runs``, ``history``, ``run_events``), as the REST API would, but in one
query for hundreds of runs.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import aiohttp
import psycopg
import pytest

from inngest_lab.protocol.consts import RunStatus
from tests.integration.conftest import App, Process, poll
from tests.services import free_port

APP_MODULE = "tests.integration.production.app"
FUNCTIONS = 2  # in app.py
LEASE_S = 2  # --queue-lease: a dead process's leases come back after this long


@dataclass
class Server(Process):
    """One ``inngest-lab dev`` on Postgres + Redis, on a fixed port."""

    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


@dataclass
class Deployment:
    tmp: Path
    postgres_uri: str
    redis_uri: str
    session: aiohttp.ClientSession
    step_log: Path = field(init=False)
    processes: list[Process] = field(default_factory=list)
    servers: list[Server] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.step_log = self.tmp / "steps.log"

    async def start(self, servers: int, env: Mapping[str, str] | None = None, *, workers: int = 8) -> App:
        """Start the app, then ``servers`` server processes that all sync it; wait until each one serves."""
        ports = [free_port() for _ in range(servers)]
        app = await self._app(ports[0], env or {})
        for i, port in enumerate(ports):
            argv = [sys.executable, "-m", "inngest_lab.cli", "dev", "--port", str(port), "-u", app.url]
            argv += ["--no-discovery", "--no-poll", "--workers", str(workers), "--queue-lease", str(LEASE_S)]
            argv += ["--postgres-uri", self.postgres_uri, "--redis-uri", self.redis_uri, "--retry-interval", "1"]
            env_ = {k: v for k, v in os.environ.items() if not k.startswith("INNGEST_")}
            env_["PYTHONUNBUFFERED"] = "1"
            server = Server(f"server-{i}", argv, env_, self.tmp / f"server-{i}.log", port=port)
            self.processes.append(server)
            self.servers.append(server)
            server.start()
        await asyncio.gather(*(self.ready(s) for s in self.servers))
        return app

    async def _app(self, server_port: int, env: Mapping[str, str]) -> App:
        """The app registers (on a server's sync request) with the first server: any one would do."""
        port_file = self.tmp / "app.port"
        full_env = {**os.environ, "PYTHONUNBUFFERED": "1", "STEP_LOG": str(self.step_log), **env}
        full_env["INNGEST_DEV"] = f"http://127.0.0.1:{server_port}"
        argv = [sys.executable, "-m", APP_MODULE, "--port-file", str(port_file)]
        app = App("app", argv, full_env, self.tmp / "app.log", port_file=port_file)
        self.processes.append(app)
        app.start()
        return await app.ready()

    async def ready(self, server: Server) -> None:
        """Wait until ``server`` answers and sees every function of the app."""

        async def synced() -> bool | None:
            server.check_alive()
            try:
                async with self.session.get(server.url + "/dev") as resp:
                    body = await resp.json(content_type=None)
            except (aiohttp.ClientError, TimeoutError):
                return None
            return True if resp.status == 200 and len(body.get("functions", [])) >= FUNCTIONS else None

        await poll(synced, f"{server.name} to sync", timeout=30)

    async def send(self, name: str, data: Mapping[str, Any], server: Server) -> str | None:
        """``POST /e/`` one event to ``server``: its id when acknowledged (HTTP 200), None when not."""
        payload = [{"name": name, "data": dict(data)}]
        try:
            async with self.session.post(server.url + "/e/test-key", json=payload) as resp:
                if resp.status != 200:
                    return None
                body = await resp.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError):
            return None
        [event_id] = body["ids"]
        return str(event_id)

    async def send_somewhere(self, name: str, data: Mapping[str, Any], first: int) -> str:
        """Send to server ``first``, else to the next ones in turn, until one acknowledges."""
        deadline = time.monotonic() + 30
        i = first
        while time.monotonic() < deadline:
            event_id = await self.send(name, data, self.servers[i % len(self.servers)])
            if event_id is not None:
                return event_id
            i += 1
            await asyncio.sleep(0.02)
        raise AssertionError(f"no server acknowledged {name} {data}\n{self.logs()}")

    async def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        async with await psycopg.AsyncConnection.connect(self.postgres_uri, autocommit=True) as conn:
            cur = await conn.execute(sql.encode(), params)
            return list(await cur.fetchall())

    async def runs(self, fn_id: str) -> list[dict[str, Any]]:
        """Every run of ``fn_id`` as Postgres has it (the run record the REST API serves)."""
        rows = await self.query("SELECT run_json FROM runs WHERE fn_id = %s", (fn_id,))
        return [json.loads(row[0]) for row in rows]

    async def all_ended(self, fn_id: str, count: int, *, timeout: float) -> list[dict[str, Any]]:
        """Wait until ``fn_id`` has ``count`` runs and all have ended (each server still alive)."""

        async def ended() -> list[dict[str, Any]] | None:
            for s in self.servers:
                s.check_alive()
            runs = await self.runs(fn_id)
            done = [r for r in runs if RunStatus(r["status"]).is_terminal]
            return runs if len(runs) >= count and len(done) == len(runs) else None

        try:
            return await poll(ended, f"{count} runs of {fn_id} to end", timeout=timeout)
        except AssertionError:
            runs = await self.runs(fn_id)
            statuses = [r["status"] for r in runs]
            raise AssertionError(
                f"{len(runs)} runs, statuses { {s: statuses.count(s) for s in set(statuses)} }\n{self.logs()}"
            ) from None

    def step_lines(self) -> list[str]:
        return self.step_log.read_text().splitlines() if self.step_log.exists() else []

    def logs(self, lines: int = 25) -> str:
        out = []
        for p in self.processes:
            text = p.log.read_text(errors="replace").splitlines() if p.log.exists() else []
            out.append(f"--- {p.name} ---\n" + "\n".join(text[-lines:]))
        return "\n".join(out)

    def close(self) -> None:
        for p in self.processes:
            p.kill()


@pytest.fixture
async def deployment_session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        yield session


@pytest.fixture
def make_deployment(
    tmp_path: Path, deployment_session: aiohttp.ClientSession
) -> Iterator[Callable[[str, str], Deployment]]:
    """A deployment on the given URIs (a test's own Postgres or Redis, which it may restart)."""
    made: list[Deployment] = []

    def make(postgres_uri: str, redis_uri: str) -> Deployment:
        made.append(Deployment(tmp_path / f"d{len(made)}", postgres_uri, redis_uri, deployment_session))
        made[-1].tmp.mkdir()
        return made[-1]

    try:
        yield make
    finally:
        for d in made:
            d.close()


@pytest.fixture
def deployment(
    tmp_path: Path, postgres_uri: str, redis_uri: str, deployment_session: aiohttp.ClientSession
) -> Iterator[Deployment]:
    """A deployment on the session's Postgres (a fresh database) and Redis (a flushed logical database)."""
    d = Deployment(tmp_path, postgres_uri, redis_uri, deployment_session)
    try:
        yield d
    finally:
        d.close()


def max_overlap(intervals: Sequence[tuple[float, float]]) -> int:
    """The largest number of ``(start, end)`` intervals open at one instant (an end before a start at a tie)."""
    points = sorted([(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals], key=lambda p: (p[0], p[1]))
    best = now = 0
    for _, delta in points:
        now += delta
        best = max(best, now)
    return best


class Restartable(Protocol):
    def kill(self) -> None: ...

    def start(self) -> object: ...


def outage(server: Restartable, *, after_s: float = 2.0, down_s: float = 1.0) -> Callable[[], Awaitable[None]]:
    """A disruption for ``chain_load_across``: ``kill -9`` the server ``after_s`` into the load, start it again
    on its port ``down_s`` later."""

    async def disrupt() -> None:
        await asyncio.sleep(after_s)
        await asyncio.to_thread(server.kill)
        await asyncio.sleep(down_s)
        await asyncio.to_thread(server.start)

    return disrupt


async def chain_load_across(
    deployment: Deployment, disrupt: Callable[[], Awaitable[None]], *, runs: int, send_s: float
) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Send ``runs`` ``prod/chain`` events over ``send_s`` seconds, round robin to the servers, each once (no
    resend), while ``disrupt()`` runs; wait for every run. Return the acknowledged events (id -> n) and the runs.

    Every acknowledged event must have exactly one run, and it must complete with its steps' output.
    """
    acked: dict[str, int] = {}
    servers = deployment.servers

    async def send_all() -> None:
        started = time.monotonic()
        for n in range(runs):
            await asyncio.sleep(max(0.0, started + n * send_s / runs - time.monotonic()))
            event_id = await deployment.send("prod/chain", {"n": n}, servers[n % len(servers)])
            if event_id is not None:
                acked[event_id] = n

    await asyncio.gather(send_all(), disrupt())
    found = await deployment.all_ended("prod-chain", len(acked), timeout=60)
    per_event = {
        str(event_id): count
        for event_id, count in await deployment.query(
            "SELECT event_id, count(*) FROM run_events WHERE event_id = ANY(%s) GROUP BY 1", (list(acked),)
        )
    }
    lost_or_doubled = {e: per_event.get(e, 0) for e in acked if per_event.get(e, 0) != 1}
    assert lost_or_doubled == {}, f"acknowledged events without exactly one run: {lost_or_doubled}"
    bad = [r for r in found if r["status"] != RunStatus.COMPLETED.value]
    assert not bad, f"{len(bad)} runs did not complete: {bad[:3]}\n{deployment.logs()}"
    for r in found:
        n = r["events"][0]["data"]["n"]
        assert r["output"] == [f"{n}:s{k}" for k in range(1, 6)], r
    return acked, found
