"""schemathesis fuzzes every operation of the spec against real servers: ``dev``, and ``start`` with keys on SQLite
and on Postgres + Redis.

The checks are schemathesis's own: no answer is a 5xx, every status, content type, header and body matches the
spec, input the spec forbids is refused with a 4xx and input it allows is accepted, a method a route lacks gets a
405 with ``Allow``, and (under ``start``) a request without the Bearer key is refused. Path ids are those of real
records (a finished run, its event, the synced function), so the fuzzer cancels, reruns, replays and pauses real
things instead of only meeting 404s. Afterwards the store must still be consistent: every run has its events
stored, and every run has ended (none stuck in Running).

Bounded: ``EXAMPLES`` cases per operation and a fixed seed, so a run takes seconds and is repeatable; a failure
prints schemathesis's report with a ``curl`` line that reproduces it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.integration.api_contract.conftest import Target

EXAMPLES = 10
SEED = 20261206
CONFIG = Path(__file__).with_name("schemathesis.toml")


def _config(target: Target, tmp: Path) -> Path:
    """The checked-in config plus this server's real ids (a TOML ``[parameters]`` table)."""
    ids = {
        "path.runId": target.run_ids[0],
        "path.eventId": target.event_ids[0],
        "path.functionId": target.function_id,
        "path.key": target.event_key,
    }
    table = "\n".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in ids.items())
    path = tmp / "schemathesis.toml"
    path.write_text(CONFIG.read_text() + f"\n[parameters]\n{table}\n")
    return path


def test_fuzzed_api_never_fails_and_keeps_the_store_consistent(api_server: Target, tmp_path: Path) -> None:
    target = api_server
    argv = [str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(_config(target, tmp_path))]
    argv += ["run", f"{target.url}/openapi.json", "--max-examples", str(EXAMPLES), "--seed", str(SEED)]
    argv += ["--workers", "1", "--generation-database", "none", "--no-color"]
    argv += ["--report", "junit", "--report-dir", str(tmp_path / "report")]
    for name, value in target.headers.items():
        argv += ["--header", f"{name}: {value}"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path)
    report = done.stdout[-12000:] + done.stderr[-3000:]
    assert done.returncode == 0, f"schemathesis against {target.mode} found problems:\n{report}"
    target.check_alive()

    # The store's invariants once the work the fuzzer caused (reruns, replays, cancellations) has settled.
    target.wait("every run to end", lambda: not target.unended_runs())
    runs = target.runs()
    assert len(runs) >= len(target.run_ids)
    lost = [
        (r["run_id"], r["event_id"]) for r in runs if target.request("GET", f"/v1/events/{r['event_id']}")[0] != 200
    ]
    assert lost == [], f"runs whose event the store no longer has: {lost}"
