from __future__ import annotations

from inngest_lab.sdk import ContextSync, TriggerEvent
from tests.unit.sdk.helpers import dev_client, post


async def test_first_discovery_executes_a_lone_step_run_inline_and_reports_its_data() -> None:
    client = dev_client()

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> str:
        a: str = ctx.step.run("a", lambda: "A")
        return a

    res = await post(main)

    assert res.status == 206
    assert res.body == [
        {
            "displayName": "a",
            "id": "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8",
            "name": "a",
            "op": "StepRun",
            "opts": None,
            "userland": {"id": "a", "index": None},
            "data": "A",
        }
    ]
    assert res.headers["X-Inngest-SDK"] == "inngest-lab:v0.1.0"
    assert res.headers["X-Inngest-Req-Version"] == "2"
    assert res.headers["X-Inngest-Sdk-Handled"] == "true"
    assert res.headers["X-Inngest-Framework"] == "tornado"
    assert "X-Inngest-No-Retry" not in res.headers
