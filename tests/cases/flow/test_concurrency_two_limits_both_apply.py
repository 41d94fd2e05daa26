"""With two limits (the whole function, and per key) a step starts only when both have room."""

from __future__ import annotations

from typing import Any

import pytest

import inngest_lab as inngest
from tests.cases.flow.gates import Gates, send_apart


@pytest.fixture(params=["sqlite"])
def lab_store(request: pytest.FixtureRequest) -> str:
    """This scenario pins the single-process queue's exact order: which waiting key goes next (keys take turns)
    and the order in which steps leased together start. Postgres + Redis holds the same limits with FIFO
    backlogs per key, but neither order (docs/architecture/production.md, known differences); the limits
    themselves are tested across processes in tests/integration/production."""
    return str(request.param)


async def test_the_function_limit_and_the_per_key_limit_both_hold(
    lab: inngest.Lab, client: inngest.Inngest, gates: Gates
) -> None:
    @client.create_function(
        fn_id="email",
        trigger=inngest.TriggerEvent(event="mail/send"),
        concurrency=[inngest.Concurrency(limit=3), inngest.Concurrency(limit=1, key="event.data.user")],
    )
    async def email(ctx: inngest.Context) -> Any:
        return await ctx.step.run("send", gates.work, ctx.event.data["mail"])

    lab.serve(client, [email])
    mails = [("ann", "ann1"), ("ann", "ann2"), ("bob", "bob1"), ("cat", "cat1"), ("dan", "dan1")]
    await send_apart(lab, [{"name": "mail/send", "data": {"user": u, "mail": m}} for u, m in mails])
    await gates.quiesce(lab)
    assert gates.executing == ["ann1", "bob1", "cat1"]  # ann2 waits for ann; dan1 for the function limit

    gates.open("ann1")  # the freed function slot goes to the key that has not had a turn yet
    await gates.quiesce(lab)
    assert gates.executing == ["bob1", "cat1", "dan1"]
    gates.open("bob1")
    await gates.quiesce(lab)
    assert gates.executing == ["cat1", "dan1", "ann2"]
    gates.open_all()
    await lab.idle()
    assert gates.peak == 3
