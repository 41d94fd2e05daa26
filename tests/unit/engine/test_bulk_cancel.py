"""Bulk cancellation batches: every matching run in range is cancelled exactly once, whatever the ties in time."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inngest_lab.engine import bulk_cancel
from inngest_lab.engine.bulk_cancel import Cancellation, Cursor
from inngest_lab.engine.model import Run
from inngest_lab.engine.operations import OperationError
from inngest_lab.protocol.consts import RunStatus


def a_run(index: int, created_at_ms: int, status: RunStatus, user: str) -> Run:
    return Run(
        f"run-{index:04d}", "app-f", "app", status, ({"name": "e", "data": {"user": user}},), ("e",), created_at_ms, 5
    )


def list_runs(runs: dict[str, Run], c: Cancellation, cursor: Cursor) -> list[Run]:
    """What ``RunQuery.list_runs`` answers, as the shell asks it."""
    found = [
        r
        for r in runs.values()
        if r.status in bulk_cancel.CANCELLABLE
        and (c.started_after_ms is None or r.created_at_ms >= c.started_after_ms)
        and r.created_at_ms < cursor.before_ms
    ]
    found.sort(key=lambda r: (r.created_at_ms, r.run_id), reverse=True)
    return found[: cursor.fetch_limit]


runs_strategy = st.lists(
    st.tuples(st.integers(0, 6), st.sampled_from(list(RunStatus)), st.sampled_from(["a", "b"])), max_size=350
)


@settings(max_examples=60, deadline=None)
@given(runs_strategy, st.none() | st.integers(0, 6), st.integers(1, 7), st.booleans())
def test_every_matching_run_in_range_is_cancelled_exactly_once(
    specs: list[tuple[int, RunStatus, str]], after: int | None, before: int, only_a: bool
) -> None:
    runs = {r.run_id: r for r in (a_run(i, at, status, user) for i, (at, status, user) in enumerate(specs))}
    c = bulk_cancel.new_cancellation(
        "c1",
        app_id="app",
        function_id="f",
        started_before_ms=before,
        started_after_ms=after if after is None or after <= before else before,
        if_exp="event.data.user == 'a'" if only_a else None,
        now_ms=10,
    )
    expected = {
        r.run_id
        for r in runs.values()
        if r.status in bulk_cancel.CANCELLABLE
        and (c.started_after_ms is None or r.created_at_ms >= c.started_after_ms)
        and r.created_at_ms < before
        and (not only_a or r.event["data"]["user"] == "a")
    }
    cancelled: list[str] = []
    cursor: Cursor | None = bulk_cancel.first_cursor(c)
    for _ in range(len(runs) + 2):
        if cursor is None:
            break
        batch = bulk_cancel.next_batch(c, cursor, list_runs(runs, c, cursor))
        for run_id in batch.cancel:
            runs[run_id] = replace(runs[run_id], status=RunStatus.CANCELLED)
        cancelled += batch.cancel
        c, cursor = batch.cancellation, batch.next_cursor
    assert cursor is None and c.done
    assert sorted(cancelled) == sorted(expected)
    assert c.cancelled == len(expected)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"started_before_ms": 11}, "started_before must be in the past"),
        ({"started_after_ms": 9, "started_before_ms": 5}, "started_after must be before started_before"),
        ({"if_exp": "event.data.x =="}, "invalid expression"),
        ({"app_id": ""}, "app_id is required"),
    ],
)
def test_invalid_requests_say_why(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"app_id": "app", "function_id": "f", "started_before_ms": 5, "now_ms": 10, **kwargs}
    with pytest.raises(OperationError, match=message):
        bulk_cancel.new_cancellation("c1", **args)  # type: ignore[arg-type]


def test_a_cancellation_round_trips_through_its_record() -> None:
    c = bulk_cancel.new_cancellation(
        "c1", app_id="app", function_id="f", started_before_ms=5, started_after_ms=1, if_exp="true", now_ms=10
    )
    assert Cancellation.from_json(c.to_json()) == c
    assert c.fn_id == "app-f"
