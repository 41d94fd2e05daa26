"""group.parallel: every branch's step runs exactly once and the results come back in branch order."""

from __future__ import annotations

from collections import Counter

import inngest_lab as inngest
from inngest_lab.engine.model import HistoryKind
from tests.cases.helpers import history_kinds


async def test_parallel_steps_each_run_once_with_results_in_order(lab: inngest.Lab, client: inngest.Inngest) -> None:
    calls: Counter[str] = Counter()

    @client.create_function(fn_id="par", trigger=inngest.TriggerEvent(event="app/par"))
    async def par(ctx: inngest.Context) -> list[str]:
        def work(name: str) -> str:
            calls[name] += 1
            return name.upper()

        results = await ctx.group.parallel(
            (
                lambda: ctx.step.run("b", work, "b"),
                lambda: ctx.step.run("a", work, "a"),
                lambda: ctx.step.run("c", work, "c"),
            )
        )
        after = await ctx.step.run("after", work, "after")
        return [*results, after]

    lab.serve(client, [par])
    [event_id] = lab.send({"name": "app/par"})
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.COMPLETED
    assert run.output == ["B", "A", "C", "AFTER"]
    assert calls == {"a": 1, "b": 1, "c": 1, "after": 1}
    assert (await history_kinds(lab, run.run_id)).count(HistoryKind.STEP_PLANNED) >= 3


async def test_sync_parallel_steps_run_once_each(lab: inngest.Lab, client: inngest.Inngest) -> None:
    calls: Counter[str] = Counter()

    @client.create_function(fn_id="par-sync", trigger=inngest.TriggerEvent(event="app/par"))
    def par_sync(ctx: inngest.ContextSync) -> tuple[int, ...]:
        def work(n: int) -> int:
            calls[str(n)] += 1
            return n * n

        return ctx.group.parallel((lambda: ctx.step.run("one", work, 1), lambda: ctx.step.run("two", work, 2)))

    lab.serve(client, [par_sync])
    [event_id] = lab.send({"name": "app/par"})
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.COMPLETED and run.output == [1, 4]
    assert calls == {"1": 1, "2": 1}
