"""An event sent while its app is being synced starts a run; one sent after its app was removed starts none.

A sync commits the app (``/dev`` and ``/lab/functions`` then show it) a moment before the engine has read the new
functions back; an event planned in that moment used to match the old trigger index, and its run was lost
(``executor/registry.py``)."""

from __future__ import annotations

import asyncio
from typing import Any

import inngest_lab as inngest
from inngest_lab.executor.inprocess import app_url


def _greet(client: inngest.Inngest) -> inngest.Function[Any]:
    @client.create_function(fn_id="greet", trigger=inngest.TriggerEvent(event="app/greet"), retries=0)
    async def greet(ctx: inngest.Context) -> str:
        return "hi"

    return greet


async def test_an_event_sent_during_the_sync_of_its_app_starts_a_run(lab: inngest.Lab, client: inngest.Inngest) -> None:
    body = inngest.CommHandler(client, [_greet(client)]).registration(app_url(client.app_id))
    syncing = asyncio.create_task(lab.engine.register(body))
    await asyncio.sleep(0)  # the sync is under way: its app is being written
    [event_id] = await lab.engine.send([{"name": "app/greet", "data": {}}])
    await syncing

    runs = await lab.engine.store.list_runs(event_id=event_id)
    assert [r.fn_id for r in runs] == [f"{client.app_id}-greet"]


async def test_an_event_sent_after_its_app_was_removed_starts_no_run(lab: inngest.Lab, client: inngest.Inngest) -> None:
    await lab.engine.register(inngest.CommHandler(client, [_greet(client)]).registration(app_url(client.app_id)))
    await lab.engine.remove_app(client.app_id)
    [event_id] = await lab.engine.send([{"name": "app/greet", "data": {}}])

    assert await lab.engine.store.list_runs(event_id=event_id) == []
    assert lab.engine.function(f"{client.app_id}-greet") is None
