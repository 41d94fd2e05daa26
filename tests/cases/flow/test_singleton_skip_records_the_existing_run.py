"""``singleton=Singleton(key, mode="skip")``: while a run for the key is active, new events start no run; they are
recorded as Skipped (reason ``Singleton``) with the id of the run that holds the key."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import inngest

import inngest_lab
from tests.cases.flow.official import official_function, register_official, statuses


def _report(client: inngest_lab.Inngest, mode: str = "skip") -> inngest_lab.Function[Any]:
    @client.create_function(
        fn_id="report",
        trigger=inngest_lab.TriggerEvent(event="report/requested"),
        singleton=inngest_lab.Singleton(key="event.data.user", mode=mode),  # type: ignore[arg-type]
    )
    async def report(ctx: inngest_lab.Context) -> str:
        await ctx.step.sleep("build", timedelta(minutes=10))
        return str(ctx.event.data["user"])

    return report


def _requested(user: str) -> dict[str, Any]:
    return {"name": "report/requested", "data": {"user": user}}


async def test_events_for_a_busy_key_are_skipped_with_the_existing_run_id(
    lab: inngest_lab.Lab, client: inngest_lab.Inngest
) -> None:
    lab.serve(client, [_report(client)])
    first, again, other = lab.send([_requested("ada"), _requested("ada"), _requested("bob")])

    assert await statuses(lab, [first, again, other]) == ["Running", "Skipped", "Running"]
    [holder] = await lab.runs(event_id=first)
    [skipped] = await lab.runs(event_id=again)
    assert skipped.skip_reason == "Singleton"
    assert skipped.output == {"existing_run_id": holder.run_id, "key": "ada"}


async def test_the_key_is_free_again_once_the_run_ended(lab: inngest_lab.Lab, client: inngest_lab.Inngest) -> None:
    lab.serve(client, [_report(client)])
    [first] = lab.send(_requested("ada"))
    await lab.advance(minutes=10)
    [later] = lab.send(_requested("ada"))

    assert await statuses(lab, [first, later]) == ["Completed", "Running"]


async def test_singleton_registered_by_the_official_python_sdk_is_enforced(
    lab: inngest_lab.Lab, client: inngest_lab.Inngest
) -> None:
    lab.serve(client, [_report(client)])
    report = official_function(
        "report", "report/requested", singleton=inngest.Singleton(key="event.data.user", mode="skip")
    )
    [entry] = await register_official(lab, "app", [report])
    assert entry["singleton"] == {"key": "event.data.user", "mode": "skip"}

    sent = lab.send([_requested("ada"), _requested("ada")])
    assert await statuses(lab, sent) == ["Running", "Skipped"]
