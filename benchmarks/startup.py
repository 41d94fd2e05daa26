"""Start-up cost: ``import inngest_lab`` as a whole process, and ``inngest-lab dev`` until ``/health`` answers.

    python benchmarks/startup.py [--rounds 5]

Targets (issue 12): ``import inngest_lab`` at most 0.25 s (``import inngest``, the official SDK, for
comparison), and ``inngest-lab dev`` answering ``GET /health`` within 1 s of the process start. Each figure is
the median of ``--rounds`` fresh processes, printed with its spread and the CPU time (user + system) the process
used, which depends less than the wall time on what else runs on the machine. Find what an import costs with
``python -X importtime -c "import inngest_lab" 2>&1 | sort -t'|' -k2 -n | tail``.
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
HEALTH_TIMEOUT_S = 30.0


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(run: Callable[[], None]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child processes) of ``run()``."""
    cpu, wall = _children_cpu_s(), time.perf_counter()
    run()
    return time.perf_counter() - wall, _children_cpu_s() - cpu


def import_time(module: str, then: str = "") -> tuple[float, float]:
    def run() -> None:
        subprocess.run([sys.executable, "-c", f"import {module}; {then}"], env=ENV, check=True)

    return _timed(run)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def dev_health_time() -> tuple[float, float]:
    """From spawning ``inngest-lab dev`` to its first ``200`` on ``/health`` (the process is then stopped)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/health"
    command = [sys.executable, "-m", "inngest_lab.cli", "dev", "--port", str(port), "--no-discovery"]
    proc: subprocess.Popen[bytes] | None = None

    def run() -> None:
        nonlocal proc
        start = time.perf_counter()
        proc = subprocess.Popen(command, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while time.perf_counter() - start < HEALTH_TIMEOUT_S:
            try:
                with urllib.request.urlopen(url, timeout=1) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.005)
        raise RuntimeError(f"inngest-lab dev did not answer {url} within {HEALTH_TIMEOUT_S} s")

    try:
        wall, _ = _timed(run)
    finally:
        assert proc is not None
        proc.terminate()
        proc.wait(timeout=30)
    # The CPU of a child is counted once it is reaped: read it after the wait (it includes the shutdown).
    return wall, _children_cpu_s()


def _report(name: str, samples: list[tuple[float, float]], target_s: float | None) -> None:
    walls = [w for w, _ in samples]
    cpus = [c for _, c in samples]
    median = statistics.median(walls)
    verdict = "" if target_s is None else f"   target <= {target_s:.2f} s: {'met' if median <= target_s else 'NOT met'}"
    print(
        f"{name:<28} median {median:.3f} s wall (spread {min(walls):.3f}-{max(walls):.3f}), "
        f"CPU {statistics.median(cpus):.3f} s{verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; {args.rounds} fresh processes each")
    _report("python -c pass", [import_time("sys") for _ in range(args.rounds)], None)
    _report("import inngest_lab", [import_time("inngest_lab") for _ in range(args.rounds)], 0.25)
    # What the README's example touches before it runs anything: the client, its config and the embedded engine.
    touch = "inngest_lab.Inngest, inngest_lab.TriggerEvent, inngest_lab.Context, inngest_lab.Lab"
    _report("... + Inngest, Lab names", [import_time("inngest_lab", touch) for _ in range(args.rounds)], None)
    try:
        _report("import inngest (official)", [import_time("inngest") for _ in range(args.rounds)], None)
    except subprocess.CalledProcessError:
        print("import inngest (official)    not installed")
    dev: list[tuple[float, float]] = []
    for _ in range(args.rounds):
        cpu_before = _children_cpu_s()
        wall, cpu_after = dev_health_time()
        dev.append((wall, cpu_after - cpu_before))
    _report("inngest-lab dev -> /health", dev, 1.0)
    print("(dev CPU includes the process's shutdown after the answer)")


if __name__ == "__main__":
    main()
