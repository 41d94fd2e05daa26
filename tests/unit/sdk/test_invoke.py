from __future__ import annotations

from typing import Any

from inngest_lab.sdk import ContextSync, TriggerEvent
from tests.unit.sdk.helpers import dev_client, h, post


async def test_invoke_reports_the_composite_function_id_and_payload() -> None:
    client = dev_client()

    @client.create_function(fn_id="child", trigger=TriggerEvent(event="app/child"))
    def child(ctx: ContextSync) -> Any:
        return {"child": ctx.event.data.get("x")}

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> Any:
        return ctx.step.invoke("inv", function=child, data={"x": 1})

    res = await post(main)

    assert res.status == 206
    assert res.body == [
        {
            "displayName": "inv",
            "id": h("inv"),
            "name": "inv",
            "op": "InvokeFunction",
            "opts": {"function_id": "my-app-child", "payload": {"data": {"x": 1}, "v": None}, "timeout": None},
            "userland": {"id": "inv", "index": None},
            "data": None,
        }
    ]
    replay = await post(main, steps={h("inv"): {"data": {"child": 1}}})
    assert (replay.status, replay.body) == (200, {"child": 1})


async def test_invoke_by_id_names_another_app_and_writes_the_timeout() -> None:
    client = dev_client()

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> Any:
        return ctx.step.invoke_by_id("inv", app_id="other", function_id="fn", timeout=60_000)

    res = await post(main)

    assert res.body[0]["opts"] == {"function_id": "other-fn", "payload": {"data": None, "v": None}, "timeout": "1m"}
