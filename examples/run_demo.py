"""`make demo`: start ``inngest-lab dev`` and the example app, run one order end to end, and keep serving.

Prints each step of the run as it happens, then leaves the server up on http://127.0.0.1:8288
(Ctrl+C stops both processes).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("INNGEST_LAB_PORT", "8288")
APP = os.environ.get("EXAMPLE_APP_PORT", "8000")
BASE = f"http://127.0.0.1:{SERVER}"


def http(method: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    req = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)  # noqa: S310 - loopback only
    with urllib.request.urlopen(req, timeout=5) as resp:  # noqa: S310 - loopback only
        return json.loads(resp.read())


def wait_until(check: Any, what: str, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
        except (urllib.error.URLError, ConnectionError):
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise SystemExit(f"timed out waiting for {what}")


def main() -> int:
    env = {**os.environ, "INNGEST_DEV": BASE}
    print(
        f"make demo: starting inngest-lab dev on {BASE} and the example app; it keeps serving until Ctrl+C", flush=True
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "inngest_lab.cli",
            "dev",
            "--port",
            SERVER,
            "--no-discovery",
            "-u",
            f"http://127.0.0.1:{APP}/api/inngest",
            "--sqlite-dir",
            ".inngest_lab",
        ],
        env=env,
    )
    app = subprocess.Popen([sys.executable, str(ROOT / "examples" / "app.py"), "--port", APP], env=env)
    try:
        wait_until(lambda: http("GET", "/dev").get("functions"), "the example app to sync")
        print(f"\ninngest-lab dev is up at {BASE}; sending shop/order.placed …", flush=True)
        [event_id] = http("POST", "/e/demo", {"name": "shop/order.placed", "data": {"order_id": "o-1"}})["ids"]
        runs = wait_until(lambda: http("GET", f"/v1/events/{event_id}/runs")["data"], "the run to start")
        run_id = runs[0]["run_id"]
        time.sleep(2.5)  # let the 2 s cool-off sleep pass, then confirm the order
        http("POST", "/e/demo", {"name": "shop/order.confirmed", "data": {"order_id": "o-1"}})
        run = wait_until(
            lambda: (r := http("GET", f"/v1/runs/{run_id}")["data"])["status"] != "Running" and r, "the run to finish"
        )
        print(f"\nrun {run_id}: {run['status']}\noutput: {json.dumps(run.get('output'), indent=2)}", flush=True)
        print(f"\nREST: {BASE}/v1/runs/{run_id}   events: {BASE}/v1/events   API docs: {BASE}/docs", flush=True)
        print("\nThe server keeps running so you can explore it: press Ctrl+C to stop both processes.", flush=True)
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for proc in (app, server):
            proc.terminate()
            proc.wait(5)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
