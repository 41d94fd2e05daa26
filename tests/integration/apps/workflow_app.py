"""Functions for the HTTP integration test; every step body appends its name to ``STEP_LOG`` when it runs.

* ``it-flow`` (``it/flow``, data ``{a, b, order}``): ``add`` → sleep 1 s → wait for ``it/paid`` of the same
  order → invoke ``it-double`` → send ``it/notified`` → ``left`` and ``right`` in parallel.
* ``it-double`` (invoke only): ``{"n": n}`` → ``2 * n``.
* ``it-notified`` (``it/notified``): returns the order it was told about.
* ``it-broken`` (``it/broken``): its one step raises ``NonRetriableError``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import inngest_lab as inngest
from tests.integration.apps.common import record, run

client = inngest.Inngest(app_id="it", is_production=False)


def _add(a: int, b: int) -> int:
    record("add")
    return a + b


@client.create_function(fn_id="double", trigger=inngest.TriggerEvent(event="it/never"), retries=0)
async def double(ctx: inngest.Context) -> int:
    n = int(ctx.event.data["n"])
    return int(await ctx.step.run("double", lambda: (record("double"), 2 * n)[1]))


@client.create_function(fn_id="notified", trigger=inngest.TriggerEvent(event="it/notified"), retries=0)
async def notified(ctx: inngest.Context) -> str:
    await ctx.step.run("notified", record, "notified")
    return str(ctx.event.data["order"])


@client.create_function(fn_id="flow", trigger=inngest.TriggerEvent(event="it/flow"), retries=0)
async def flow(ctx: inngest.Context) -> dict[str, Any]:
    data = ctx.event.data
    total = await ctx.step.run("add", _add, data["a"], data["b"])
    await ctx.step.sleep("nap", timedelta(seconds=1))
    paid = await ctx.step.wait_for_event(
        "paid", event="it/paid", if_exp="async.data.order == event.data.order", timeout=timedelta(minutes=1)
    )
    assert paid is not None, "the test always sends the payment"
    doubled = await ctx.step.invoke("double", function=double, data={"n": total})
    sent = await ctx.step.send_event("notify", inngest.Event(name="it/notified", data={"order": data["order"]}))
    both = await ctx.group.parallel(
        (lambda: ctx.step.run("left", record, "left"), lambda: ctx.step.run("right", record, "right"))
    )
    return {"total": total, "paid": paid.data["amount"], "doubled": doubled, "sent": sent, "parallel": list(both)}


@client.create_function(fn_id="broken", trigger=inngest.TriggerEvent(event="it/broken"))
async def broken(ctx: inngest.Context) -> None:
    def explode() -> None:
        record("explode")
        raise inngest.NonRetriableError("the order is gone")

    await ctx.step.run("explode", explode)


if __name__ == "__main__":
    run(client, [flow, double, notified, broken])
