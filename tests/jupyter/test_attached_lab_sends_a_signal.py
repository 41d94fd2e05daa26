"""In JupyterLab, a notebook's attached ``Lab()`` resumes a ``wait_for_signal`` through the hosting server's
``POST /v1/signals``: the waiting run's id comes back, and None when nothing waits."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import inngest_lab
from inngest_lab.jupyter.attach import JupyterServer
from inngest_lab.jupyter.remote import AttachedLab
from tests.jupyter.conftest import Run


def test_an_attached_lab_sends_a_signal(run: Run[Any], api_url: str, jp_serverapp: Any) -> None:
    server = JupyterServer(api_url, jp_serverapp.identity_provider.token)
    client = inngest_lab.Inngest(app_id="notebook")

    @client.create_function(fn_id="approve", trigger=inngest_lab.TriggerEvent(event="nb/approve"))
    async def approve(ctx: inngest_lab.Context) -> object:
        return await ctx.step.wait_for_signal("wait", signal="nb-approval", timeout=timedelta(minutes=5))

    async def scenario() -> None:
        lab = AttachedLab(server)
        lab.serve(client, [approve])
        [event_id] = lab.send({"name": "nb/approve"})
        assert await lab.send_signal("nobody-waits", 1) is None
        resumed = None
        for _ in range(500):  # until the run has reached its wait
            resumed = await lab.send_signal("nb-approval", {"ok": True})
            if resumed is not None:
                break
            await asyncio.sleep(0.02)
        [done] = await lab.wait(event_id, 10)
        await lab.close()
        assert resumed == done.run_id
        assert done.output == {"signal": "nb-approval", "data": {"ok": True}}

    run(scenario())
