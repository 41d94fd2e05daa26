"""``singleton=Singleton(key, mode="cancel")``: a new event for a busy key cancels the active run (its history
says it was replaced, and by which run) and starts a new one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import inngest

import inngest_lab
from inngest_lab.engine.model import HistoryKind
from tests.cases.flow.official import official_function, register_official, statuses
from tests.cases.helpers import history


def _sync(client: inngest_lab.Inngest) -> inngest_lab.Function[Any]:
    @client.create_function(
        fn_id="sync",
        trigger=inngest_lab.TriggerEvent(event="repo/pushed"),
        singleton=inngest_lab.Singleton(key="event.data.repo", mode="cancel"),
    )
    async def sync(ctx: inngest_lab.Context) -> str:
        await ctx.step.sleep("settle", timedelta(minutes=10))
        return str(ctx.event.data["sha"])

    return sync


def _pushed(sha: str) -> dict[str, Any]:
    return {"name": "repo/pushed", "data": {"repo": "r1", "sha": sha}}


async def test_the_new_run_cancels_the_active_one_and_runs_to_the_end(
    lab: inngest_lab.Lab, client: inngest_lab.Inngest
) -> None:
    lab.serve(client, [_sync(client)])
    [old] = lab.send(_pushed("a1"))
    await lab.advance(minutes=1)
    [new] = lab.send(_pushed("b2"))
    assert await statuses(lab, [old, new]) == ["Cancelled", "Running"]

    [old_run] = await lab.runs(event_id=old)
    [new_run] = await lab.runs(event_id=new)
    [cancelled] = [e for e in await history(lab, old_run.run_id) if e.kind is HistoryKind.RUN_CANCELLED]
    assert cancelled.data["error"]["message"] == f"singleton: replaced by run {new_run.run_id}"
    await lab.advance(minutes=10)
    done = await lab.run(new_run.run_id)
    assert done is not None and done.status is inngest_lab.RunStatus.COMPLETED and done.output == "b2"


async def test_singleton_cancel_registered_by_the_official_python_sdk_is_enforced(
    lab: inngest_lab.Lab, client: inngest_lab.Inngest
) -> None:
    lab.serve(client, [_sync(client)])
    sync = official_function("sync", "repo/pushed", singleton=inngest.Singleton(key="event.data.repo", mode="cancel"))
    [entry] = await register_official(lab, "app", [sync])
    assert entry["singleton"] == {"key": "event.data.repo", "mode": "cancel"}

    sent = lab.send([_pushed("a1"), _pushed("b2")])
    assert await statuses(lab, sent) == ["Cancelled", "Running"]
