"""An event sent again with the same ``id`` within 24 hours is stored but starts no run (for every function,
with or without flow control); after 24 hours the id starts runs again."""

from __future__ import annotations

from typing import Any

import inngest_lab
from inngest_lab.engine.flow.keys import state_key
from tests.cases.flow.official import statuses


def _welcome(client: inngest_lab.Inngest) -> inngest_lab.Function[Any]:
    @client.create_function(fn_id="welcome", trigger=inngest_lab.TriggerEvent(event="user/signup"))
    async def welcome(ctx: inngest_lab.Context) -> str:
        return str(ctx.event.data["user"])

    return welcome


def _signup(event_id: str) -> dict[str, Any]:
    return {"name": "user/signup", "id": event_id, "data": {"user": "ada"}}


async def test_the_second_event_with_an_id_is_stored_and_starts_nothing(
    lab: inngest_lab.Lab, client: inngest_lab.Inngest
) -> None:
    lab.serve(client, [_welcome(client)])
    first, again, other = lab.send([_signup("signup-ada"), _signup("signup-ada"), _signup("signup-bob")])

    assert await statuses(lab, [first, again, other]) == ["Completed", "-", "Completed"]
    stored = await lab.engine.store.get_event(again)
    assert stored is not None and stored.payload["id"] == "signup-ada"


async def test_the_id_starts_a_run_again_after_24_hours(lab: inngest_lab.Lab, client: inngest_lab.Inngest) -> None:
    lab.serve(client, [_welcome(client)])
    [first] = lab.send(_signup("signup-ada"))
    await lab.advance(hours=23, minutes=59)
    [within] = lab.send(_signup("signup-ada"))
    await lab.advance(minutes=1)
    [after] = lab.send(_signup("signup-ada"))

    assert await statuses(lab, [first, within, after]) == ["Completed", "-", "Completed"]


async def test_events_without_an_id_are_never_deduplicated(lab: inngest_lab.Lab, client: inngest_lab.Inngest) -> None:
    lab.serve(client, [_welcome(client)])
    event = {"name": "user/signup", "data": {"user": "ada"}}
    sent = lab.send([event, event])

    assert await statuses(lab, sent) == ["Completed", "Completed"]


async def test_expired_event_ids_are_purged_from_the_store(lab: inngest_lab.Lab, client: inngest_lab.Inngest) -> None:
    lab.serve(client, [_welcome(client)])
    lab.send(_signup("signup-ada"))
    await lab.idle()
    key = state_key("event-id", "app-welcome", "signup-ada")
    assert await lab.engine.store.flow_state(key) is not None

    await lab.advance(hours=25)
    lab.send(_signup("signup-bob"))  # flow-control work after the expiry purges expired entries
    await lab.idle()
    assert await lab.engine.store.flow_state(key) is None
