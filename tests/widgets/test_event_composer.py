"""EventComposer: validates before sending, sends, lists the runs it started with live statuses."""

from __future__ import annotations

import pytest

import inngest_lab as inngest
from inngest_lab.widgets import EventComposer
from inngest_lab.widgets.composer import parse_event


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("", "{}", "event name is required"),
        ("inngest/function.finished", "{}", "reserved"),
        ("shop/checkout", "{not json", "data is not valid JSON"),
        ("shop/checkout", "[1, 2]", "event data must be a JSON object"),
    ],
)
def test_invalid_events_are_refused_with_the_reason(name: str, data: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_event(name, data, now_ms=1_767_225_600_000)


async def test_send_lists_the_runs_the_event_started_and_follows_them(
    lab: inngest.Lab, client: inngest.Inngest, checkout: inngest.Function[str]
) -> None:
    lab.serve(client, [checkout])
    composer = EventComposer()
    await composer.settled()
    assert composer.suggestions == ["shop/checkout"]

    composer._on_msg(composer, {"type": "send", "name": "shop/checkout", "data": '{"sku": "sku-7"}'}, [])
    await composer.settled()
    assert composer.notice == ""
    [sent] = composer.sent
    assert sent["name"] == "shop/checkout"
    [run] = sent["runs"]
    assert run["fn_id"] == "shop-checkout"
    assert composer.timeline["run_id"] == run["run_id"]  # a single run opens at once

    await lab.idle()
    await lab.advance(hours=1)
    assert composer.sent[0]["runs"][0]["status"] == "Completed"


async def test_a_bad_event_from_the_front_end_becomes_a_notice(lab: inngest.Lab) -> None:
    composer = EventComposer()
    composer._on_msg(composer, {"type": "send", "name": "shop/checkout", "data": "{oops"}, [])
    await composer.settled()
    assert composer.notice.startswith("ValueError: data is not valid JSON")
    assert composer.sent == []
