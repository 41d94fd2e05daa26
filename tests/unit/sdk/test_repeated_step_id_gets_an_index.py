from __future__ import annotations

from inngest_lab.sdk import ContextSync, TriggerEvent
from tests.unit.sdk.helpers import dev_client, h, post


async def test_second_use_of_a_step_id_hashes_id_colon_1_and_reports_index_1() -> None:
    client = dev_client()

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> str:
        a = ctx.step.run("a", lambda: "A")
        a2 = ctx.step.run("a", lambda: "A2")
        return f"{a}{a2}"

    res = await post(main, steps={h("a"): {"data": "A"}})

    assert res.status == 206
    (op,) = res.body
    assert op["id"] == "de89bfaf06245091a7873290a793604612302247"
    assert op["userland"] == {"id": "a", "index": 1}
    assert (op["op"], op["name"], op["displayName"], op["data"]) == ("StepRun", "a", "a", "A2")
