"""The widgets' front-end logic that needs no DOM, run in node: the very module the browser loads."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

from inngest_lab.widgets.bundle import esm

NODE = shutil.which("node") or "node"  # CI installs node for the TypeScript SDK app


def run_js(expression: str) -> Any:
    """Evaluate ``expression`` after the bundled ES module's top level; returns its JSON value."""
    script = f"{esm()}\nconsole.log(JSON.stringify({expression}));\n"
    out = subprocess.run(
        [NODE, "--input-type=module", "-e", script], capture_output=True, text=True, check=True, timeout=30
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_composer_refuses_what_the_event_api_would() -> None:
    problems = run_js(
        "[eventProblem('', '{}'), eventProblem('inngest/x', '{}'), eventProblem('a/b', '{oops'),"
        " eventProblem('a/b', '[1]'), eventProblem('a/b', ''), eventProblem('a/b', '{\"k\": 1}')]"
    )
    assert problems[0] == "the event needs a name"
    assert problems[1] == "names starting with inngest/ are reserved"
    assert problems[2].startswith("data is not valid JSON")
    assert problems[3] == "data must be a JSON object"
    assert problems[4:] == [None, None]


def test_copy_as_curl_quotes_single_quotes_for_the_shell() -> None:
    curl = run_js("curlFor('http://127.0.0.1:8288/e/dev', 'a/b', '{\"who\": \"O\\'Brien\"}')")
    assert curl == (
        "curl -X POST 'http://127.0.0.1:8288/e/dev' -H 'Content-Type: application/json' "
        """-d '{"name":"a/b","data":{"who":"O'\\''Brien"}}'"""
    )


def test_a_step_waiting_for_its_retry_reads_retrying() -> None:
    span = {"status": "queued", "attempts": [{"status": "errored"}]}
    fresh = {"status": "queued", "attempts": []}
    assert run_js(f"[shownStatus({json.dumps(span)}), shownStatus({json.dumps(fresh)})]") == ["retrying", "queued"]


def test_the_window_of_a_sleeping_run_reaches_the_end_of_the_sleep() -> None:
    view = {
        "queued_at_ms": 1000,
        "ended_at_ms": None,
        "spans": [
            {"started_at_ms": 1000, "ended_at_ms": 1010, "detail": {}},
            {"started_at_ms": 1010, "ended_at_ms": None, "detail": {"sleep_until_ms": 61_010}},
        ],
    }
    assert run_js(f"timelineWindow({json.dumps(view)}, 2000)") == {"start": 1000, "end": 61_010}


def test_durations_read_like_the_python_renderer() -> None:
    assert run_js("[5, 1500, 61000, 3600000, 90061000].map(fmtDuration)") == ["5ms", "1.5s", "1m 1s", "1h", "1d 1h"]
