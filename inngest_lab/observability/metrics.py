"""Prometheus metrics of one engine process (``GET /metrics``).

Counters and histograms count what *this process* did: they are fed by the store's local change feed
(``subscribe_local_changes``: this process's commits only) and by the executor's hooks (leases, SDK calls,
store transactions), so summing a counter over every process of a deployment gives the deployment's total.
The deployment-wide gauges (queue depth and lag, pending pauses, runs waiting on flow control) are read from
the store at scrape time and exported by one process only, the one holding the store's reporter role
(``Maintenance.claim_reporter``); the others omit them, so summing still counts each queue item once.
``inngest_lab_metrics_reporter`` (1 or 0) says which process that is.

``prometheus_client`` is imported when a ``Metrics`` is built, never by ``import inngest_lab``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from inngest_lab.engine.model import AppendHistory, Command, Enqueue, HistoryKind, Lease, SaveRun
from inngest_lab.observability.series import Series
from inngest_lab.store.ports import StoreGauges
from inngest_lab.store.ports.maintenance import FLOW_REASONS

if TYPE_CHECKING:
    from prometheus_client.metrics_core import Metric

PREFIX = "inngest_lab_"
TEXT_0_0_4 = "text/plain; version=0.0.4; charset=utf-8"  # newer clients default to 1.0.0; Prometheus takes both
STEP_BUCKETS_S = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)
DELAY_BUCKETS_S = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600)
STORE_BUCKETS_S = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5)

_ENDED = {
    HistoryKind.RUN_COMPLETED: "completed",
    HistoryKind.RUN_FAILED: "failed",
    HistoryKind.RUN_CANCELLED: "cancelled",
    HistoryKind.RUN_SKIPPED: "skipped",
}
_STEPS = {
    HistoryKind.STEP_COMPLETED: "completed",
    HistoryKind.STEP_ERRORED: "errored",
    HistoryKind.STEP_FAILED: "failed",
}
_FLOW = {
    HistoryKind.RUN_THROTTLED: "throttle",
    HistoryKind.RUN_DEBOUNCED: "debounce",
    HistoryKind.RUN_BATCHED: "batch",
    HistoryKind.RUN_SKIPPED: "skip",
}
_SDK_OK = frozenset({200, 206})


class _DeploymentGauges:
    """A collector yielding the last store gauges read, only while this process is the reporter."""

    def __init__(self) -> None:
        self.reporter = False
        self.gauges: StoreGauges | None = None
        self.now_ms = 0

    def collect(self) -> Iterable[Metric]:
        from prometheus_client.core import GaugeMetricFamily

        yield GaugeMetricFamily(
            PREFIX + "metrics_reporter",
            "1 on the one process that exports the deployment-wide gauges, 0 on the others",
            value=1 if self.reporter else 0,
        )
        g = self.gauges
        if not self.reporter or g is None:
            return
        yield GaugeMetricFamily(PREFIX + "queue_depth", "Queue items (due, leased or future)", value=g.queue_depth)
        lag = max(0, self.now_ms - g.oldest_due_ms) / 1000 if g.oldest_due_ms is not None else 0.0
        yield GaugeMetricFamily(
            PREFIX + "queue_lag_seconds", "Age of the oldest due queue item no worker holds (0: none)", value=lag
        )
        yield GaugeMetricFamily(
            PREFIX + "pauses_pending", "Pending waits, invokes and cancel_on pauses", value=g.pending_pauses
        )
        waiting = GaugeMetricFamily(
            PREFIX + "flow_control_waiting",
            "Runs flow control holds back right now, by reason (concurrency: due steps waiting for a slot;"
            " throttle: delayed starts; debounce, batch: runs still collecting events)",
            labels=["reason"],
        )
        for reason in FLOW_REASONS:
            waiting.add_metric([reason], g.flow_waiting.get(reason, 0))
        yield waiting


class Metrics:
    """This process's metrics, in their own registry (several engines in one process do not mix)."""

    def __init__(self, owner: str) -> None:
        from prometheus_client import CollectorRegistry, Counter, Histogram

        self.owner = owner
        self.registry = CollectorRegistry(auto_describe=True)
        self.series = Series()
        self._children: dict[tuple[int, tuple[str, ...]], Any] = {}
        self._deployment = _DeploymentGauges()
        self.registry.register(self._deployment)
        r = self.registry
        fn = ["function"]
        self.runs_started = Counter(PREFIX + "runs_started", "Runs whose first call began", fn, registry=r)
        self.runs_ended = Counter(
            PREFIX + "runs_ended",
            "Runs that ended, by status (completed, failed, cancelled, skipped)",
            [*fn, "status"],
            registry=r,
        )
        self.steps = Counter(
            PREFIX + "steps",
            "Step attempts recorded, by status (completed, errored: retried, failed)",
            [*fn, "status"],
            registry=r,
        )
        self.step_duration = Histogram(
            PREFIX + "step_duration_seconds",
            "Execution time of step attempts (SDK call start to end)",
            fn,
            buckets=STEP_BUCKETS_S,
            registry=r,
        )
        self.queue_delay = Histogram(
            PREFIX + "queue_delay_seconds",
            "From an item's due time to its lease by a worker",
            [*fn, "kind"],
            buckets=DELAY_BUCKETS_S,
            registry=r,
        )
        self.flow_control = Counter(
            PREFIX + "flow_control_waits",
            "Runs and steps flow control held back, by reason (concurrency, throttle, debounce, batch, skip, …)",
            [*fn, "reason"],
            registry=r,
        )
        self.sdk_errors = Counter(
            PREFIX + "sdk_call_errors",
            "SDK calls answered with an error status (transport: none)",
            [*fn, "status"],
            registry=r,
        )
        self.store_seconds = Histogram(
            PREFIX + "store_transaction_seconds",
            "Latency of store transactions, by operation (transact: a run's transition, ingest: an event batch, lease)",
            ["op"],
            buckets=STORE_BUCKETS_S,
            registry=r,
        )

    # ------------------------------------------------------------ feeds

    def _child(self, metric: Any, *labels: str) -> Any:
        """``metric.labels(*labels)``, cached: ``labels`` validates and locks on every call, this is a dict hit."""
        key = (id(metric), labels)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = metric.labels(*labels)
        return child

    def committed(self, commands: Sequence[Command]) -> None:
        """A batch this process committed (the store's local change feed)."""
        fns: dict[str, str] = {}
        for c in commands:
            if isinstance(c, SaveRun):
                fns[c.run.run_id] = c.run.fn_id
            elif isinstance(c, Enqueue):
                fns.setdefault(c.item.run_id, c.item.fn_id)
        for c in commands:
            if isinstance(c, AppendHistory):
                e = c.entry
                self._history(fns.get(e.run_id, ""), e.kind, e.at_ms, e.data)

    def _history(self, fn: str, kind: HistoryKind, at_ms: int, data: object) -> None:
        fields: Mapping[str, object] = data if isinstance(data, Mapping) else {}
        if kind is HistoryKind.RUN_STARTED:
            self._child(self.runs_started, fn).inc()
            self.series.run_started(at_ms)
        if kind in _ENDED:
            self._child(self.runs_ended, fn, _ENDED[kind]).inc()
            self.series.run_ended(at_ms, _ENDED[kind])
        if kind in _STEPS:
            self._child(self.steps, fn, _STEPS[kind]).inc()
            started = fields.get("started_at_ms")
            if isinstance(started, int):
                ms = max(0, at_ms - started)
                self._child(self.step_duration, fn).observe(ms / 1000)
                self.series.step(at_ms, ms)
        if kind is HistoryKind.FLOW_DELAYED:
            self._child(self.flow_control, fn, str(fields.get("reason") or "flow")).inc()
        elif kind in _FLOW:
            self._child(self.flow_control, fn, _FLOW[kind]).inc()

    def leased(self, leases: Sequence[Lease], now_ms: int, seconds: float) -> None:
        self._child(self.store_seconds, "lease").observe(seconds)
        for lease in leases:
            item = lease.item
            self._child(self.queue_delay, item.fn_id, item.kind.value).observe(max(0, now_ms - item.due_at_ms) / 1000)

    def called(self, fn_id: str, status: int) -> None:
        if status not in _SDK_OK:
            self._child(self.sdk_errors, fn_id, str(status) if status else "transport").inc()

    def store_op(self, op: str, seconds: float) -> None:
        self._child(self.store_seconds, op).observe(seconds)

    # ------------------------------------------------------------ scrape

    def deployment(self, reporter: bool, gauges: StoreGauges | None, now_ms: int) -> None:
        """What the last scrape read from the store (``gauges`` None on a non-reporter)."""
        self._deployment.reporter, self._deployment.gauges, self._deployment.now_ms = reporter, gauges, now_ms

    def exposition(self, accept: str = "") -> tuple[bytes, str]:
        """The metrics as Prometheus text 0.0.4, or OpenMetrics when ``accept`` asks for it."""
        if "application/openmetrics-text" in accept:
            from prometheus_client.openmetrics import exposition as om

            return om.generate_latest(self.registry), om.CONTENT_TYPE_LATEST  # type: ignore[no-untyped-call]
        from prometheus_client.exposition import generate_latest

        # our names are all legacy-safe ([a-z_]), so the default "underscores" escaping yields plain 0.0.4 text
        return generate_latest(self.registry), TEXT_0_0_4
