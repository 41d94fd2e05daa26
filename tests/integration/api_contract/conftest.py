"""A real ``inngest-lab`` server process, with an app synced and a few runs finished.

``api_server`` is parametrized over the three ways to run a server: ``dev``, ``start`` with keys on SQLite, and
``start`` with keys on Postgres + Redis (``start-pg``, production mode). The server syncs ``fuzz_app`` with
``-u``; three seed events start three runs, which end before the test gets the server. ``Target`` carries what a
test needs to call it (base URL, auth headers, event key) and the ids of real records (so a fuzzer reaches past
404s). The store's invariants are read through the REST API, the same way for every store.
"""

from __future__ import annotations

import http.client
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest

from inngest_lab.protocol.consts import RunStatus
from tests.integration.api_contract.fuzz_app import APP_ID, EVENT
from tests.integration.conftest import Process
from tests.services import free_port

SIGNING_KEY = "signkey-test-" + "7b" * 32
EVENT_KEY = "contract-event-key"
DEADLINE_S = 30.0
MODES = ["dev", "start", "start-pg"]
T = TypeVar("T")


@dataclass
class Target:
    mode: str
    url: str
    processes: list[Process] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    event_key: str = "dev-key"
    run_ids: list[str] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)
    function_id: str = f"{APP_ID}-hello"

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """One request: (status, decoded JSON answer or None)."""
        conn = http.client.HTTPConnection(self.url.removeprefix("http://"), timeout=10)
        try:
            data = None if body is None else json.dumps(body).encode()
            conn.request(method, path, body=data, headers=self.headers)
            resp = conn.getresponse()
            raw = resp.read()
        finally:
            conn.close()
        return resp.status, json.loads(raw) if raw else None

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """One request that must succeed; its decoded JSON answer."""
        status, answer = self.request(method, path, body)
        assert 200 <= status < 300, f"{method} {path} -> {status} {answer!r}"
        return answer

    def check_alive(self) -> None:
        for p in self.processes:
            p.check_alive()

    def wait(self, what: str, ready: Callable[[], T | None]) -> T:
        """Poll ``ready`` until it returns something truthy; fail with the processes' logs after a deadline."""
        deadline = time.monotonic() + DEADLINE_S
        while True:
            self.check_alive()
            try:
                found = ready()
            except OSError:
                found = None
            if found:
                return found
            if time.monotonic() > deadline:
                logs = "\n".join(p.log.read_text(errors="replace")[-3000:] for p in self.processes if p.log.exists())
                raise AssertionError(f"timed out waiting for {what}\n{logs}")
            time.sleep(0.02)

    def runs(self) -> list[dict[str, Any]]:
        """Every run (up to 500), newest first, as ``GET /lab/runs`` lists them."""
        return list(self.call("GET", "/lab/runs?limit=500")["data"])

    def unended_runs(self) -> list[tuple[str, str]]:
        """(run id, status) of every run not in a terminal status."""
        return [(r["run_id"], r["status"]) for r in self.runs() if not RunStatus(r["status"]).is_terminal]


def _launch(target: Target, tmp: Path, stores: list[str]) -> None:
    """Start the app, then the server that syncs it (the app's port is known once it listens)."""
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("INNGEST_")}
    base_env["PYTHONUNBUFFERED"] = "1"
    app_env = dict(base_env)
    dev = target.mode == "dev"
    if dev:
        app_env["INNGEST_DEV"] = target.url
    else:
        app_env.update(INNGEST_BASE_URL=target.url, INNGEST_SIGNING_KEY=SIGNING_KEY, INNGEST_EVENT_KEY=EVENT_KEY)
    port_file = tmp / "app.port"
    app_argv = [sys.executable, "-m", "tests.integration.api_contract.fuzz_app", "--port-file", str(port_file)]
    app = Process("fuzz-app", app_argv, app_env, tmp / "app.log")
    target.processes.append(app)
    app.start()
    app_port = target.wait("the app to listen", lambda: port_file.exists() and port_file.read_text().strip())
    port = target.url.rsplit(":", 1)[1]
    argv = [sys.executable, "-m", "inngest_lab.cli", "dev" if dev else "start", "--port", port, *stores]
    argv += ["--no-poll", "--poll-interval", "1", "-u", f"http://127.0.0.1:{app_port}/api/inngest"]
    argv += ["--no-discovery"] if dev else ["--event-key", EVENT_KEY, "--signing-key", SIGNING_KEY]
    server = Process(f"inngest-lab-{target.mode}", argv, base_env, tmp / "server.log")
    target.processes.append(server)
    server.start()


def _synced(log: str) -> bool:
    """Whether the server's log has the sync line, in the text format (``inngest_lab.sync: synced …``) or the
    JSON one ``start`` writes by default (``{"logger": "inngest_lab.sync", "msg": "synced …"}``)."""
    if "inngest_lab.sync: synced" in log:
        return True
    for line in log.splitlines():
        if line.startswith("{") and '"inngest_lab.sync"' in line:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            msg = record.get("msg", record.get("message")) if isinstance(record, dict) else None
            if record.get("logger") == "inngest_lab.sync" and isinstance(msg, str) and msg.startswith("synced"):
                return True
    return False


@pytest.fixture(params=MODES)
def api_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Target]:
    mode = str(request.param)
    target = Target(mode, f"http://127.0.0.1:{free_port()}")
    if mode == "dev":
        stores = ["--sqlite-dir", str(tmp_path / "db")]
    else:
        target.headers = {"Authorization": f"Bearer {SIGNING_KEY}"}
        target.event_key = EVENT_KEY
        stores = ["--sqlite-dir", str(tmp_path / "db")]
    if mode == "start-pg":
        uris = request.getfixturevalue("postgres_uri"), request.getfixturevalue("redis_uri")
        stores = ["--postgres-uri", uris[0], "--redis-uri", uris[1]]
    try:
        _launch(target, tmp_path, stores)
        # The server logs "synced" (as text or JSON, _synced) once the app's registration is applied, trigger index
        # included (the app's rows are visible a moment earlier, before the engine reloads them).
        server_log = target.processes[-1].log
        target.wait("the app to sync", lambda: _synced(server_log.read_text(errors="replace")))
        sent = target.call("POST", f"/e/{target.event_key}", [{"name": EVENT, "data": {"name": n}} for n in "abc"])
        target.event_ids = list(sent["ids"])
        target.wait("the seed runs to end", lambda: len(target.runs()) == 3 and not target.unended_runs())
        target.run_ids = [r["run_id"] for r in target.runs()]
        yield target
    finally:
        for p in target.processes:
            p.kill()
