"""FunctionTable: triggers and flow control of each function, live on re-serve, and Invoke."""

from __future__ import annotations

import inngest_lab as inngest
from inngest_lab.widgets import FunctionTable


async def test_lists_triggers_and_flow_control(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(
        fn_id="sync-user",
        trigger=[inngest.TriggerEvent(event="user/updated", expression="event.data.plan == 'pro'")],
        concurrency=[inngest.Concurrency(limit=2, key="event.data.user_id")],
        throttle=inngest.Throttle(limit=10, period=60_000),
        retries=1,
    )
    async def sync_user(ctx: inngest.Context) -> None:
        return None

    lab.serve(client, [sync_user])
    table = FunctionTable()
    await table.loaded
    [row] = table.functions
    assert row["fn_id"] == "shop-sync-user"
    assert row["triggers"] == ["user/updated if event.data.plan == 'pro'"]
    assert row["retries"] == 1
    assert row["flow"]["concurrency"] == [{"key": "event.data.user_id", "limit": 2, "scope": "fn"}]
    assert row["flow"]["throttle"]["limit"] == 10


async def test_serving_again_updates_the_table(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="a", trigger=inngest.TriggerEvent(event="x/a"))
    async def a(ctx: inngest.Context) -> None:
        return None

    @client.create_function(fn_id="b", trigger=inngest.TriggerCron(cron="0 9 * * *"))
    async def b(ctx: inngest.Context) -> None:
        return None

    lab.serve(client, [a])
    table = FunctionTable()
    await table.loaded
    lab.serve(client, [a, b])
    await lab.idle()
    await table.settled()
    assert [(f["fn_id"], f["triggers"]) for f in table.functions] == [
        ("shop-a", ["x/a"]),
        ("shop-b", ["cron 0 9 * * *"]),
    ]


async def test_invoke_button_runs_the_function_and_opens_its_timeline(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    @client.create_function(fn_id="double", trigger=inngest.TriggerEvent(event="x/double"))
    async def double(ctx: inngest.Context) -> object:
        return await ctx.step.run("double", lambda: 2 * ctx.event.data["n"])

    lab.serve(client, [double])
    table = FunctionTable()
    table._on_msg(table, {"type": "invoke", "fn_id": "shop-double", "data": {"n": 21}}, [])
    await table.settled()
    await lab.idle()
    assert table.notice == ""
    assert table.pane.feed is not None
    table.pane.feed.flush()
    assert table.timeline["status"] == "Completed"
    assert table.timeline["output"] == 42
