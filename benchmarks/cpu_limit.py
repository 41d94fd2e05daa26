"""A CPU budget per process for the scale-out measurement (``steps.py --scale-out --cpu-limit CORES``).

On a 2-core machine a fast single engine already keeps more than one core busy with Redis and Postgres (0.70 ms
of CPU per step in all, at ~1,800 steps/s: 1.3 cores), so a second process can at best fill the rest: the ratio
then measures the machine, not the design. Giving each engine process the same budget, as the reference
deployment's ``INNGEST_CPU_LIMIT`` gives each replica, measures what scaling out is for: whether N replicas do N
times the work of one. Linux cgroups (v1 ``cpu`` controller, else v2 ``cpu.max``); root is needed.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

PERIOD_US = 100_000
V1 = Path("/sys/fs/cgroup/cpu")
V2 = Path("/sys/fs/cgroup")


class CpuLimitUnavailable(RuntimeError):
    """No writable cgroup CPU controller here; the message says what was tried."""


def _make_group(name: str, cores: float) -> tuple[Path, Path]:
    """Create the group; return it and the parent group to move processes back to."""
    quota = max(1_000, int(cores * PERIOD_US))
    if (V1 / "cpu.cfs_quota_us").exists():
        group = V1 / name
        group.mkdir()
        (group / "cpu.cfs_period_us").write_text(str(PERIOD_US))
        (group / "cpu.cfs_quota_us").write_text(str(quota))
        return group, V1
    if "cpu" in (V2 / "cgroup.controllers").read_text().split():
        group = V2 / name
        group.mkdir()
        (group / "cpu.max").write_text(f"{quota} {PERIOD_US}")
        return group, V2
    raise CpuLimitUnavailable("no cgroup cpu controller (v1 /sys/fs/cgroup/cpu or v2 cpu.max)")


@contextlib.contextmanager
def cpu_limited(pids: list[int], cores: float) -> Iterator[None]:
    """Each of ``pids`` (with the threads it starts later) limited to ``cores`` CPUs of its own while inside."""
    made: list[tuple[Path, Path]] = []
    try:
        for pid in pids:
            try:
                group, parent = _make_group(f"inngest-lab-bench-{os.getpid()}-{pid}", cores)
            except OSError as exc:
                raise CpuLimitUnavailable(f"cannot create a cgroup ({exc}); --cpu-limit needs root") from exc
            made.append((group, parent))
            (group / "cgroup.procs").write_text(str(pid))
        yield
    finally:
        for group, parent in made:
            with contextlib.suppress(OSError):
                for task in (group / "cgroup.procs").read_text().split():
                    with contextlib.suppress(OSError):
                        (parent / "cgroup.procs").write_text(task)
                group.rmdir()
