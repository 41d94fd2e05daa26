"""Our SDK's fast path over HTTP: a run of ten quick steps is one call request, each step run once and recorded
once in the timeline. With each checkpoint awaited (the default) every step is saved before the next one runs, so
the call ends with a plain 200; pipelined, the quick steps outrun their checkpoints and ride on the answer,
``206 [StepRun x10, RunComplete]``."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp

from inngest_lab.engine.model import HistoryKind
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store import sqlite_queries
from tests.integration.conftest import App, Cluster, DevServer, Rest, step_lines
from tests.services import free_port


async def app_stats(http: aiohttp.ClientSession, app_url: str, run_id: str) -> dict[str, Any]:
    async with http.get(app_url.replace("/api/inngest", "/stats"), params={"run": run_id}) as resp:
        body: dict[str, Any] = await resp.json()
        return body


def completed_steps(server: DevServer, run_id: str) -> Counter[str | None]:
    with sqlite3.connect(f"file:{server.db_path}?mode=ro", uri=True, timeout=5) as conn:
        history = sqlite_queries.history(conn, run_id)
    return Counter(e.step_id for e in history if e.kind is HistoryKind.STEP_COMPLETED)


async def serve_fast_path_app(
    cluster: Cluster, http: aiohttp.ClientSession, steps: Path, *, piped: bool = False
) -> tuple[App, DevServer, Rest]:
    """``apps/fast_path_app.py`` (its step log in ``steps``) synced to a dev server of its own; with ``piped`` its
    pipelined-checkpoint app too."""
    port = free_port()
    app = await cluster.app("fast_path_app", {"STEP_LOG": str(steps)}, server_port=port)
    urls = [app.url, app.url.replace("/api/inngest", "/api/piped")] if piped else [app.url]
    server = cluster.server(port, urls)
    server.start()
    rest = Rest(server, http)
    await rest.ready(functions=3 if piped else 2)
    return app, server, rest


async def test_quick_steps_take_one_call_request(cluster: Cluster, http: aiohttp.ClientSession, tmp_path: Path) -> None:
    steps = tmp_path / "steps.log"
    app, server, rest = await serve_fast_path_app(cluster, http, steps, piped=True)

    for event, answer in (("fast/quick", 200), ("piped/quick", 206)):
        run = await rest.finished((await rest.run_of(await rest.send(event)))["run_id"])
        assert run["status"] == RunStatus.COMPLETED.value, cluster.logs()
        assert run["output"] == 45
        assert await app_stats(http, app.url, run["run_id"]) == {"calls": 1, "answers": [answer]}
        recorded = completed_steps(server, run["run_id"])
        assert len(recorded) == 10 and set(recorded.values()) == {1}, recorded
    assert Counter(step_lines(steps)) == {f"s{i}": 2 for i in range(10)}  # once per run
