"""A real ``inngest-lab dev`` or ``start`` (with keys) process, with an app synced and a few runs finished.

``api_server`` is parametrized over both modes. The server syncs ``fuzz_app`` with ``-u``; three seed events
start three runs, which end before the test gets the server. ``Target`` carries what a test needs to call it
(base URL, auth headers, event key), the ids of real records (so a fuzzer reaches past 404s) and the SQLite
file, read-only, to check the store's invariants afterwards.
"""

from __future__ import annotations

import http.client
import json
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from inngest_lab.cli import DB_FILE
from inngest_lab.protocol.consts import RunStatus
from tests.integration.api_contract.fuzz_app import APP_ID, EVENT
from tests.integration.conftest import Process, free_port

SIGNING_KEY = "signkey-test-" + "7b" * 32
EVENT_KEY = "contract-event-key"
DEADLINE_S = 30.0


@dataclass
class Target:
    mode: str
    url: str
    db_path: Path
    processes: list[Process]
    headers: dict[str, str] = field(default_factory=dict)
    event_key: str = "dev-key"
    run_ids: list[str] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)
    function_id: str = f"{APP_ID}-hello"

    def call(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        """One request; the decoded JSON answer (a non-2xx answer raises ``AssertionError`` with it)."""
        conn = http.client.HTTPConnection(self.url.removeprefix("http://"), timeout=10)
        try:
            data = None if body is None else json.dumps(body).encode()
            conn.request(method, path, body=data, headers={**self.headers, **(headers or {})})
            resp = conn.getresponse()
            raw = resp.read()
        finally:
            conn.close()
        assert 200 <= resp.status < 300, f"{method} {path} -> {resp.status} {raw!r}"
        return json.loads(raw)

    def read(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Query the server's SQLite file read-only (WAL mode lets it run beside the server)."""
        conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def check_alive(self) -> None:
        for p in self.processes:
            p.check_alive()

    def wait(self, what: str, ready: Any) -> Any:
        deadline = time.monotonic() + DEADLINE_S
        while True:
            self.check_alive()
            try:
                found = ready()
            except (OSError, sqlite3.OperationalError):
                found = None
            if found:
                return found
            if time.monotonic() > deadline:
                logs = "\n".join(p.log.read_text(errors="replace")[-3000:] for p in self.processes if p.log.exists())
                raise AssertionError(f"timed out waiting for {what}\n{logs}")
            time.sleep(0.02)

    def unended_runs(self) -> list[tuple[str, str]]:
        """(run id, status) of every run not in a terminal status."""
        rows = self.read("SELECT run_id, status FROM runs")
        return [(str(r), str(st)) for r, st in rows if not RunStatus(st).is_terminal]


def _launch(mode: str, tmp: Path, target: Target) -> None:
    """Start the app, then the server that syncs it (the app's port is known once it listens)."""
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("INNGEST_")}
    base_env["PYTHONUNBUFFERED"] = "1"
    app_env = dict(base_env)
    if mode == "dev":
        app_env["INNGEST_DEV"] = target.url
    else:
        app_env.update(INNGEST_BASE_URL=target.url, INNGEST_SIGNING_KEY=SIGNING_KEY, INNGEST_EVENT_KEY=EVENT_KEY)
    port_file = tmp / "app.port"
    app = Process(
        "fuzz-app",
        [sys.executable, "-m", "tests.integration.api_contract.fuzz_app", "--port-file", str(port_file)],
        app_env,
        tmp / "app.log",
    )
    target.processes.append(app)
    app.start()
    app_port = target.wait("the app to listen", lambda: port_file.exists() and port_file.read_text().strip())
    port = target.url.rsplit(":", 1)[1]
    argv = [sys.executable, "-m", "inngest_lab.cli", mode, "--port", port, "--sqlite-dir", str(tmp / "db")]
    argv += ["--no-poll", "--poll-interval", "1", "-u", f"http://127.0.0.1:{app_port}/api/inngest"]
    if mode == "dev":
        argv.append("--no-discovery")
    else:
        argv += ["--event-key", EVENT_KEY, "--signing-key", SIGNING_KEY]
    server = Process(f"inngest-lab-{mode}", argv, base_env, tmp / "server.log")
    target.processes.append(server)
    server.start()


@pytest.fixture(params=["dev", "start"])
def api_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Target]:
    mode = str(request.param)
    target = Target(mode, f"http://127.0.0.1:{free_port()}", tmp_path / "db" / DB_FILE, [])
    if mode == "start":
        target.headers = {"Authorization": f"Bearer {SIGNING_KEY}"}
        target.event_key = EVENT_KEY
    try:
        _launch(mode, tmp_path, target)
        # The server logs "synced" once the app's registration is applied, trigger index included (a functions
        # row is visible a moment earlier, before the engine reloads it).
        server_log = target.processes[-1].log
        target.wait("the app to sync", lambda: "inngest_lab.sync: synced" in server_log.read_text(errors="replace"))
        sent = target.call("POST", f"/e/{target.event_key}", [{"name": EVENT, "data": {"name": n}} for n in "abc"])
        target.event_ids = target.wait(
            "the seed runs", lambda: [str(e) for (e,) in target.read("SELECT event_id FROM run_events")]
        )
        assert len(sent["ids"]) == 3
        target.wait(
            "the seed runs to end", lambda: len(target.read("SELECT 1 FROM runs")) == 3 and not target.unended_runs()
        )
        target.run_ids = [str(r) for (r,) in target.read("SELECT run_id FROM runs ORDER BY run_id")]
        yield target
    finally:
        for p in target.processes:
            p.kill()
