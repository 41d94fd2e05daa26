"""What dashboard auth costs: the guard's decision per request, a session check, and a password check.

    python benchmarks/auth_guard.py [--n N]

Pure functions only (no server), timed in-process: ``auth_guard.decide`` for a dev-mode read, a start-mode
Bearer read, and a start-mode session write with its CSRF token; ``read_session`` alone; and one scrypt
``verify_password`` at the default cost (what a login spends). Each figure is the median of five rounds, as
wall and CPU time per operation (CPU time is what matters on a shared machine). The last line on stdout is
one JSON object with the medians in microseconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import replace

from inngest_lab.protocol.consts import ServerKind
from inngest_lab.protocol.signing import hashed_signing_key
from inngest_lab.server.auth_guard import RequestFacts, decide
from inngest_lab.server.auth_password import hash_password, verify_password
from inngest_lab.server.auth_session import issue_session, read_session
from inngest_lab.server.settings import ServerSettings

KEY = "signkey-prod-" + "ab" * 32
NOW = 1_800_000_000


def per_op_us(fn: Callable[[], object], n: int) -> tuple[float, float]:
    """(wall µs, CPU µs) per call: the medians of five rounds of ``n`` calls."""
    walls, cpus = [], []
    for _ in range(5):
        w0, c0 = time.perf_counter(), time.process_time()
        for _ in range(n):
            fn()
        walls.append((time.perf_counter() - w0) / n * 1e6)
        cpus.append((time.process_time() - c0) / n * 1e6)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20_000)
    n = parser.parse_args().n
    password_hash = hash_password("a password")
    start = ServerSettings(signing_keys=[KEY], server_kind=ServerKind.CLOUD, ui_password_hash=password_hash)
    session = issue_session(start.session_key, NOW, 3600)
    base = RequestFacts(
        "GET", "/lab/runs", "/lab/runs", "127.0.0.1:8288", None, 8288, None, None, False, None, None, None, NOW
    )
    cases: dict[str, tuple[Callable[[], object], int]] = {
        "decide_dev_read": (lambda: decide(base, ServerSettings()), n),
        "decide_start_bearer_read": (
            lambda: decide(replace(base, authorization=f"Bearer {hashed_signing_key(KEY)}"), start),
            n,
        ),
        "decide_start_session_write": (
            lambda: decide(replace(base, method="POST", session_cookie=session.token, csrf_token=session.csrf), start),
            n,
        ),
        "read_session": (lambda: read_session(start.session_key, session.token, NOW), n),
        "verify_password_scrypt_default": (lambda: verify_password("a password", password_hash), 5),
    }
    results = {}
    for name, (fn, count) in cases.items():
        wall, cpu = per_op_us(fn, count)
        results[name] = {"wall_us": round(wall, 2), "cpu_us": round(cpu, 2)}
        print(f"{name:34s} {wall:12.2f} µs wall {cpu:12.2f} µs CPU")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
