"""Rerun from a step: the steps completed before it are kept (not executed again), that step runs again with the
edited input, and the steps after it run again."""

from __future__ import annotations

import pytest

import inngest_lab as inngest
from inngest_lab.engine.operations import OperationError


async def test_rerun_from_a_step_with_edited_input(lab: inngest.Lab, client: inngest.Inngest) -> None:
    calls: list[str] = []

    def fetch() -> int:
        calls.append("fetch")
        return 10

    def charge(amount: int, currency: str) -> str:
        calls.append(f"charge {amount} {currency}")
        return f"{amount} {currency}"

    def notify(receipt: str) -> str:
        calls.append("notify")
        return f"sent {receipt}"

    @client.create_function(fn_id="bill", trigger=inngest.TriggerEvent(event="app/bill"))
    async def bill(ctx: inngest.Context) -> str:
        amount = await ctx.step.run("fetch", fetch)
        receipt = await ctx.step.run("charge", charge, amount, "EUR")
        return str(await ctx.step.run("notify", notify, receipt))

    lab.serve(client, [bill])
    [event_id] = lab.send({"name": "app/bill", "data": {}})
    [original] = await lab.wait(event_id)
    assert original.output == "sent 10 EUR"
    calls.clear()

    rerun_id = await lab.rerun(original.run_id, from_step="charge", input=[25, "USD"])
    [rerun] = await lab.wait(rerun_id)

    assert rerun.output == "sent 25 USD"
    assert calls == ["charge 25 USD", "notify"]  # "fetch" was kept from the original run
    assert rerun.original_run_id == original.run_id
    assert rerun.steps[original.stack[0]] == original.steps[original.stack[0]]


async def test_rerun_from_a_step_without_input_runs_it_with_its_own_arguments(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    calls: list[str] = []

    def step(name: str, value: str) -> str:
        calls.append(name)
        return value

    @client.create_function(fn_id="two", trigger=inngest.TriggerEvent(event="app/two"))
    async def two(ctx: inngest.Context) -> list[str]:
        first = await ctx.step.run("first", step, "first", "a")
        second = await ctx.step.run("second", step, "second", first + "b")
        return [first, second]

    lab.serve(client, [two])
    [event_id] = lab.send({"name": "app/two", "data": {}})
    [original] = await lab.wait(event_id)
    calls.clear()

    [rerun] = await lab.wait(await lab.rerun(original.run_id, from_step="second"))
    assert rerun.output == ["a", "ab"]
    assert calls == ["second"]


async def test_rerun_from_an_unknown_step_is_rejected(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="one", trigger=inngest.TriggerEvent(event="app/one"))
    async def one(ctx: inngest.Context) -> str:
        return str(await ctx.step.run("only", lambda: "x"))

    lab.serve(client, [one])
    [event_id] = lab.send({"name": "app/one", "data": {}})
    [original] = await lab.wait(event_id)
    with pytest.raises(OperationError, match="not a completed step"):
        await lab.rerun(original.run_id, from_step="missing")
