"""``step.waitForSignal`` (TS): ``POST /v1/signals`` resumes the waiting run with the signal's data (200 with its
run id), a signal nobody waits for is a 404, ``step.sendSignal`` reaches it from another function, a ``fail``
wait on a taken signal fails its run, and a wait without a signal resolves to ``null`` at its timeout."""

from __future__ import annotations

import uuid
from typing import Any

from inngest_lab.engine.model import HistoryKind
from tests.integration.official.harness import Target


async def post_signal(target: Target, signal: str, data: Any) -> tuple[int, Any]:
    url = f"{target.stack.next_url()}/v1/signals"
    async with target.session.post(url, json={"signal": signal, "data": data}, headers=target.auth) as resp:
        return resp.status, await resp.json(content_type=None)


async def waiting(target: Target, signal: str, **data: Any) -> str:
    run_id = str((await target.run_of(await target.send("signal", {"signal": signal, **data})))["run_id"])
    await target.reached(run_id, HistoryKind.STEP_WAITING)
    return run_id


async def test_a_signal_resumes_the_run_and_an_unknown_one_is_a_404(ts_target: Target) -> None:
    signal = f"sig-{uuid.uuid4()}"
    run_id = await waiting(ts_target, signal)

    assert (await post_signal(ts_target, f"{signal}-other", 1))[0] == 404
    status, body = await post_signal(ts_target, signal, {"x": 1})

    assert (status, body["data"]) == (200, {"run_id": run_id})
    done = await ts_target.finished(run_id)
    assert done["status"] == "Completed", ts_target.logs()
    assert done["output"] == {"got": {"signal": signal, "data": {"x": 1}}}
    assert (await post_signal(ts_target, signal, 2))[0] == 404  # consumed


async def test_step_send_signal_resumes_another_run(ts_target: Target) -> None:
    signal = f"sig-{uuid.uuid4()}"
    run_id = await waiting(ts_target, signal)

    sender = await ts_target.run("signal-send", {"signal": signal, "data": "hello"})

    assert sender["status"] == "Completed", ts_target.logs()
    assert sender["output"] == {"runId": run_id}
    done = await ts_target.finished(run_id)
    assert done["output"] == {"got": {"signal": signal, "data": "hello"}}


async def test_a_fail_wait_on_a_taken_signal_fails_and_a_lone_wait_times_out_to_null(ts_target: Target) -> None:
    signal = f"sig-{uuid.uuid4()}"
    holder = await waiting(ts_target, signal, timeout="2s")

    loser = await ts_target.run("signal", {"signal": signal, "conflict": "fail"})

    assert loser["status"] == "Failed", ts_target.logs()
    assert "Signal conflict" in str(loser["output"])
    timed_out = await ts_target.finished(holder)
    assert timed_out["output"] == {"got": None}
