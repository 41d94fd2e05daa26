"""``OTEL_TRACES_SAMPLER`` keeps its meaning: by default (parent-based, always on at the root) and with
``always_on`` every run is traced; ``always_off`` traces none; a trace-id ratio traces a share of the runs, and
the same runs in every process (the trace id is derived from the run id)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from inngest_lab.observability.otlp_export import FastOTLPSpanExporter
from inngest_lab.observability.tracing import RunTracer

RUNS = [f"01RUN{i:021d}" for i in range(400)]


@pytest.fixture
def tracers() -> Iterator[list[RunTracer]]:
    made: list[RunTracer] = []
    yield made
    for tracer in made:
        tracer.shutdown()


def _tracer(made: list[RunTracer]) -> RunTracer:
    # nothing is exported: the decisions are all this test reads (port 9 is the discard service, never reached)
    made.append(RunTracer(FastOTLPSpanExporter(endpoint="http://127.0.0.1:9/v1/traces")))
    return made[-1]


@pytest.mark.parametrize("sampler", [None, "always_on", "parentbased_always_on"])
def test_every_run_is_traced_by_default_and_always_on(
    sampler: str | None, monkeypatch: pytest.MonkeyPatch, tracers: list[RunTracer]
) -> None:
    if sampler is None:
        monkeypatch.delenv("OTEL_TRACES_SAMPLER", raising=False)
    else:
        monkeypatch.setenv("OTEL_TRACES_SAMPLER", sampler)
    tracer = _tracer(tracers)
    assert all(tracer.sampled(run) for run in RUNS)


def test_always_off_traces_no_run(monkeypatch: pytest.MonkeyPatch, tracers: list[RunTracer]) -> None:
    monkeypatch.setenv("OTEL_TRACES_SAMPLER", "always_off")
    tracer = _tracer(tracers)
    assert not any(tracer.sampled(run) for run in RUNS)


def test_a_ratio_traces_a_share_of_the_runs_the_same_in_every_process(
    monkeypatch: pytest.MonkeyPatch, tracers: list[RunTracer]
) -> None:
    monkeypatch.setenv("OTEL_TRACES_SAMPLER", "parentbased_traceidratio")
    monkeypatch.setenv("OTEL_TRACES_SAMPLER_ARG", "0.5")
    one, other = _tracer(tracers), _tracer(tracers)
    decisions = [one.sampled(run) for run in RUNS]
    assert 100 < sum(decisions) < 300, "about half the runs"
    assert decisions == [other.sampled(run) for run in RUNS], "another process decides the same"
    assert decisions == [one.sampled(run) for run in RUNS], "asked again, the same answer"
