from __future__ import annotations

import asyncio
import threading
from typing import Any

from inngest_lab.sdk import Context, ContextSync, TriggerEvent
from tests.unit.sdk.helpers import dev_client, h, post


async def test_sync_functions_run_off_the_event_loop_thread() -> None:
    client = dev_client()
    loop_thread = threading.get_ident()

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> Any:
        return threading.get_ident() != loop_thread

    res = await post(main)

    assert (res.status, res.body) == (200, True)


async def test_async_functions_run_on_the_loop_and_accept_async_step_handlers() -> None:
    client = dev_client()

    async def fetch() -> str:
        await asyncio.sleep(0)
        return "fetched"

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    async def main(ctx: Context) -> Any:
        a = await ctx.step.run("a", fetch)
        b = await ctx.step.run("b", lambda x: x * 2, 21)
        return [a, b]

    first = await post(main)
    second = await post(main, steps={h("a"): {"data": "fetched"}})
    done = await post(main, steps={h("a"): {"data": "fetched"}, h("b"): {"data": 42}})

    assert (first.status, first.body[0]["data"]) == (206, "fetched")
    assert (second.status, second.body[0]["data"]) == (206, 42)
    assert (done.status, done.body) == (200, ["fetched", 42])


async def test_on_failure_handler_is_served_under_the_failure_twin_id() -> None:
    client = dev_client()

    def on_failure(ctx: ContextSync) -> Any:
        return {"failed": ctx.event.data["function_id"]}

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"), on_failure=on_failure)
    def main(ctx: ContextSync) -> None:
        return None

    failed = {"name": "inngest/function.failed", "data": {"function_id": "my-app-main"}, "id": "r", "ts": 1}
    res = await post(main, fn_id="my-app-main-failure", event=failed)

    assert (res.status, res.body) == (200, {"failed": "my-app-main"})
