from __future__ import annotations

from typing import Any

from inngest_lab.sdk import Context, ContextSync, ParallelMode, TriggerEvent
from tests.unit.sdk.helpers import dev_client, h, post


def _parallel_fn() -> Any:
    client = dev_client()

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> Any:
        return ctx.group.parallel((lambda: ctx.step.run("p1", lambda: 1), lambda: ctx.step.run("p2", lambda: 2)))

    return main


def _planned(step_id: str) -> dict[str, Any]:
    return {
        "displayName": step_id,
        "id": h(step_id),
        "name": step_id,
        "op": "StepPlanned",
        "opts": None,
        "userland": {"id": step_id, "index": None},
        "data": None,
    }


async def test_parallel_discovery_plans_both_steps() -> None:
    res = await post(_parallel_fn())

    assert (res.status, res.body) == (206, [_planned("p1"), _planned("p2")])


async def test_targeted_request_runs_only_the_target_step_inside_a_parallel_group() -> None:
    res = await post(_parallel_fn(), step_id=h("p2"), disable_immediate_execution=True)

    assert res.status == 206
    (op,) = res.body
    assert (op["op"], op["id"], op["data"]) == ("StepRun", h("p2"), 2)


async def test_parallel_returns_every_output_once_all_are_memoized() -> None:
    res = await post(
        _parallel_fn(), steps={h("p1"): {"data": 1}, h("p2"): {"data": 2}}, disable_immediate_execution=True
    )

    assert (res.status, res.body) == (200, [1, 2])


async def test_async_parallel_in_race_mode_marks_the_planned_ops() -> None:
    client = dev_client()

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    async def main(ctx: Context) -> Any:
        return await ctx.group.parallel(
            (lambda: ctx.step.run("p1", lambda: 1), lambda: ctx.step.run("p2", lambda: 2)),
            parallel_mode=ParallelMode.RACE,
        )

    res = await post(main)

    assert [op["opts"] for op in res.body] == [{"parallelMode": "race"}, {"parallelMode": "race"}]


async def test_disable_immediate_execution_plans_a_lone_new_step_instead_of_running_it() -> None:
    client = dev_client()
    ran: list[int] = []

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> Any:
        return ctx.step.run("a", lambda: ran.append(1))

    res = await post(main, disable_immediate_execution=True)

    assert (res.status, res.body, ran) == (206, [_planned("a")], [])


async def test_targeted_request_meeting_another_new_step_answers_step_unexpected() -> None:
    client = dev_client()

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> Any:
        ctx.step.run("first", lambda: 1)
        return ctx.step.run("second", lambda: 2)

    res = await post(main, step_id=h("second"))

    assert res.status == 500
    assert res.body == {
        "code": "step_unexpected",
        "message": 'found step "first" when targeting a different step',
        "name": "StepUnexpectedError",
        "stack": None,
    }
