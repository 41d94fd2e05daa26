"""A run whose in-process app is not served (never, or no longer after a restart) fails clearly, never hangs.

The engine treats the missing app like an unreachable SDK: each attempt is retried on the usual backoff
(so serving the app again in time rescues the run) and the last one fails the run with SDKUnreachableError.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import inngest_lab as inngest
from inngest_lab.engine.model import HistoryKind
from inngest_lab.executor.inprocess import app_url
from tests.cases.helpers import current, history, started_run


def _nap(client: inngest.Inngest) -> inngest.Function[Any]:
    @client.create_function(fn_id="nap", trigger=inngest.TriggerEvent(event="app/nap"), retries=2)
    async def nap(ctx: inngest.Context) -> str:
        await ctx.step.sleep("nap", timedelta(hours=1))
        return "woke"

    return nap


async def test_a_function_of_an_app_never_served_here_fails_after_its_retries(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    # The app is synced (as by another process) but this process never serves it.
    await lab.engine.register(inngest.CommHandler(client, [_nap(client)]).registration(app_url(client.app_id)))
    [event_id] = lab.send({"name": "app/nap"})
    run = await started_run(lab, event_id)
    assert run.status is not inngest.RunStatus.FAILED  # the first failure is retried, not final

    await lab.advance(minutes=5)
    failed = await current(lab, run.run_id)
    assert failed.status is inngest.RunStatus.FAILED
    assert failed.error["name"] == "SDKUnreachableError"
    assert "not served" in failed.error["message"] and "'app'" in failed.error["message"]
    retries = [e for e in await history(lab, run.run_id) if e.kind is HistoryKind.CALL_FAILED]
    assert [e.attempt for e in retries] == [0, 1]
    delays = [e.data["retry_at_ms"] - e.at_ms for e in retries]
    assert 15_000 <= delays[0] < 45_000 and 30_000 <= delays[1] < 60_000


async def test_a_sleeping_run_whose_app_is_gone_after_a_restart_fails(tmp_path: Path) -> None:
    path = tmp_path / "restart.db"
    async with inngest.Lab(path, fake_clock=True) as first:
        client = inngest.Inngest(app_id="app", is_production=False)
        first.serve(client, [_nap(client)])
        [event_id] = first.send({"name": "app/nap"})
        run = await started_run(first, event_id)

    async with inngest.Lab(path, fake_clock=True) as second:  # a new kernel: nothing is served yet
        await second.advance(hours=1, minutes=5)
        failed = await current(second, run.run_id)
        assert failed.status is inngest.RunStatus.FAILED
        assert failed.error["name"] == "SDKUnreachableError"


async def test_serving_the_app_again_before_the_retries_run_out_rescues_the_run(tmp_path: Path) -> None:
    path = tmp_path / "rescue.db"
    async with inngest.Lab(path, fake_clock=True) as first:
        client = inngest.Inngest(app_id="app", is_production=False)
        first.serve(client, [_nap(client)])
        [event_id] = first.send({"name": "app/nap"})
        run = await started_run(first, event_id)

    async with inngest.Lab(path, fake_clock=True) as second:
        await second.advance(hours=1)  # the wake-up call finds no app and is scheduled for retry
        assert (await current(second, run.run_id)).status is inngest.RunStatus.RUNNING
        client = inngest.Inngest(app_id="app", is_production=False)
        second.serve(client, [_nap(client)])
        await second.advance(minutes=1)
        done = await current(second, run.run_id)
        assert done.status is inngest.RunStatus.COMPLETED and done.output == "woke"
