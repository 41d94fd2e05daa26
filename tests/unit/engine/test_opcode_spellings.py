"""Every spelling of an opcode the official SDKs (or Go's own executor) may send is understood.

Python and TS put a sleep's duration in ``name`` and a wait's event in ``name``; Go reads ``opts.duration`` and
``opts.event`` first (protocol doc section 4.3). ``RunComplete`` comes from TS checkpointing; ``StepFailed``
from Python's last attempt. ``X-Inngest-Req-Version`` of the first answer becomes the run's ``version``.
"""

from __future__ import annotations

from dataclasses import replace

from inngest_lab.engine.model import CreatePause, Enqueue, ItemKind
from inngest_lab.engine.signals import SdkResponded
from inngest_lab.engine.transition import transition
from inngest_lab.protocol.consts import RunStatus

from .transition_helpers import FN, NOW, SDK, call_item, final_run, make_run, of_type, op, ops, saved


def test_sleep_reads_the_duration_from_opts_before_name() -> None:
    out = transition(make_run(), call_item(), ops(op("Sleep", "z", name="z", opts={"duration": "2m"})), FN, NOW, 0.0)
    [wake] = of_type(out, Enqueue)
    assert (wake.item.kind, wake.item.due_at_ms) == (ItemKind.SLEEP, NOW + 120_000)


def test_wait_for_event_reads_the_event_from_opts_before_name() -> None:
    wait = op("WaitForEvent", "w", name="w", opts={"event": "app/reply", "timeout": "1h"})
    [pause] = of_type(transition(make_run(), call_item(), ops(wait), FN, NOW, 0.0), CreatePause)
    assert (pause.pause.event_name, pause.pause.expires_at_ms) == ("app/reply", NOW + 3_600_000)


def test_run_complete_finishes_the_run_with_its_data() -> None:
    out = transition(make_run(), call_item(), ops(op("RunComplete", "c", data={"ok": 1})), FN, NOW, 0.0)
    done = final_run(out)
    assert (done.status, done.output) == (RunStatus.COMPLETED, {"ok": 1})


def test_step_failed_saves_the_error_even_with_attempts_left() -> None:
    err = {"name": "Error", "message": "last try"}
    out = transition(make_run(), call_item(), ops(op("StepFailed", "h", error=err)), FN, NOW, 0.0)
    assert saved(out) == {"h": {"error": err}}
    [discovery] = of_type(out, Enqueue)
    assert (discovery.item.step_id, discovery.item.attempt) == ("step", 0)


def test_the_first_answer_sets_the_request_version_from_its_header() -> None:
    fresh = replace(make_run(), version=-1)
    v1 = SdkResponded(206, {**SDK, "x-inngest-req-version": "1"}, [op("StepRun", "h", data=1)])
    assert final_run(transition(fresh, call_item(), v1, FN, NOW, 0.0)).version == 1
    unknown = SdkResponded(206, {**SDK, "x-inngest-req-version": "7"}, [op("StepRun", "h", data=1)])
    assert final_run(transition(fresh, call_item(), unknown, FN, NOW, 0.0)).version == 2


def test_a_retry_interval_replaces_the_backoff_table_but_not_retry_after() -> None:
    err = {"name": "ValueError", "message": "kaboom"}
    out = transition(make_run(), call_item(), ops(op("StepError", "h", error=err)), FN, NOW, 0.0, 1000)
    assert of_type(out, Enqueue)[0].item.due_at_ms == NOW + 1000
    later = SdkResponded(500, {**SDK, "retry-after": "30"}, {"message": "x"})
    assert of_type(transition(make_run(), call_item(), later, FN, NOW, 0.0, 1000), Enqueue)[0].item.due_at_ms == (
        NOW + 30_000
    )
