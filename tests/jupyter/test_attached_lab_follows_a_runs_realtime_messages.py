"""In JupyterLab, a notebook's attached ``Lab()`` follows a run's realtime messages: its function publishes with
our SDK (through the hosting server's ``/v1/realtime/publish``) and ``lab.realtime(run_id)`` and the live log
(``follow_realtime``) receive them in order over the server's SSE route."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import inngest_lab
from inngest_lab.jupyter.attach import JupyterServer
from inngest_lab.jupyter.remote import AttachedLab
from inngest_lab.sdk.realtime import publish
from inngest_lab.workbench.realtime_view import follow_realtime
from tests.jupyter.conftest import Run


def _reporter() -> tuple[inngest_lab.Inngest, list[Any]]:
    client = inngest_lab.Inngest(app_id="notebook")

    @client.create_function(fn_id="report", trigger=inngest_lab.TriggerEvent(event="nb/report"))
    async def report(ctx: inngest_lab.Context) -> str:
        await ctx.step.sleep("subscribers-connect", timedelta(seconds=1))
        for i in range(3):

            async def tick(i: int = i) -> None:
                await publish(client, "progress", "tick", {"progress": (i + 1) / 3}, run_id=ctx.run_id)

            await ctx.step.run(f"tick-{i}", tick)
        return "reported"

    return client, [report]


def test_an_attached_lab_follows_a_runs_messages(run: Run[Any], api_url: str, jp_serverapp: Any) -> None:
    server = JupyterServer(api_url, jp_serverapp.identity_provider.token)

    async def scenario() -> None:
        lab = AttachedLab(server)
        client, functions = _reporter()
        lab.serve(client, functions)
        [event_id] = lab.send({"name": "nb/report"})
        runs: list[Any] = []
        while not runs:
            runs = await lab.runs(fn_id="notebook-report")
            await asyncio.sleep(0.02)
        run_id = runs[0].run_id
        sub = await lab.realtime(run_id)
        log = await follow_realtime(lab, run_id, show=False)

        [done] = await lab.wait(event_id, 10)
        received = [await asyncio.wait_for(sub.next(), 5) for _ in range(3)]
        await sub.close()
        assert log.task is not None
        await asyncio.wait_for(log.task, 10)
        await lab.close()

        assert done.output == "reported"
        assert [m.data for m in received if m is not None] == [{"progress": p} for p in (1 / 3, 2 / 3, 1.0)]
        assert {m.run_id for m in received if m is not None} == {run_id}
        assert [m["data"] for m in log.messages] == [m.data for m in received if m is not None]
        assert log.done and log.progress == 1.0

    run(scenario())
