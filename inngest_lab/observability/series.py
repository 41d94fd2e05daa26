"""Recent throughput, failures and step latency in time buckets: what the dashboard's Metrics page draws.

Kept in memory by the process that did the work (like its counters), one bucket per ``bucket_s`` seconds
for the last ``keep`` buckets; step latencies are kept as a bounded sample per bucket for p50/p99.
"""

from __future__ import annotations

import random
from collections import OrderedDict
from dataclasses import dataclass, field

from inngest_lab.engine.model import Json

SAMPLE_PER_BUCKET = 512


@dataclass(slots=True)
class _Bucket:
    started: int = 0
    completed: int = 0
    failed: int = 0
    cancelled: int = 0
    steps: int = 0
    latencies_ms: list[int] = field(default_factory=list)

    def add_latency(self, ms: int, rng: random.Random) -> None:
        """Reservoir sampling: every step of the bucket has the same chance to be in the sample."""
        self.steps += 1
        if len(self.latencies_ms) < SAMPLE_PER_BUCKET:
            self.latencies_ms.append(ms)
            return
        slot = rng.randrange(self.steps)
        if slot < SAMPLE_PER_BUCKET:
            self.latencies_ms[slot] = ms


def _percentile(values: list[int], q: float) -> int | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Series:
    def __init__(self, bucket_s: int = 60, keep: int = 180) -> None:
        self.bucket_ms = bucket_s * 1000
        self.keep = keep
        self._buckets: OrderedDict[int, _Bucket] = OrderedDict()
        self._rng = random.Random(0)

    def _at(self, at_ms: int) -> _Bucket:
        start = at_ms - at_ms % self.bucket_ms
        bucket = self._buckets.get(start)
        if bucket is None:
            bucket = self._buckets[start] = _Bucket()
            while len(self._buckets) > self.keep:
                self._buckets.popitem(last=False)
        return bucket

    def run_started(self, at_ms: int) -> None:
        self._at(at_ms).started += 1

    def run_ended(self, at_ms: int, status: str) -> None:
        bucket = self._at(at_ms)
        if status == "completed":
            bucket.completed += 1
        elif status == "failed":
            bucket.failed += 1
        elif status == "cancelled":
            bucket.cancelled += 1

    def step(self, at_ms: int, duration_ms: int) -> None:
        self._at(at_ms).add_latency(duration_ms, self._rng)

    def json(self, since_ms: int) -> list[Json]:
        """Buckets starting at or after ``since_ms``, oldest first (empty buckets are left out)."""
        return [
            {
                "start_ms": start,
                "started": b.started,
                "completed": b.completed,
                "failed": b.failed,
                "cancelled": b.cancelled,
                "steps": b.steps,
                "step_p50_ms": _percentile(b.latencies_ms, 0.5),
                "step_p99_ms": _percentile(b.latencies_ms, 0.99),
            }
            for start, b in self._buckets.items()
            if start >= since_ms - since_ms % self.bucket_ms
        ]
