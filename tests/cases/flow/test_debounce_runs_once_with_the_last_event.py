"""``debounce=Debounce(period, key, timeout)``: a burst of events starts one run, ``period`` after the last of
them, with the last event; each event resets the timer; ``timeout`` caps the wait from the first event."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import inngest

import inngest_lab
from inngest_lab.engine.model import HistoryKind
from tests.cases.flow.official import official_function, register_official
from tests.cases.helpers import history


def _save(client: inngest_lab.Inngest, seen: list[str], timeout: timedelta | None = None) -> inngest_lab.Function[Any]:
    @client.create_function(
        fn_id="save",
        trigger=inngest_lab.TriggerEvent(event="doc/edited"),
        debounce=inngest_lab.Debounce(period=timedelta(minutes=5), key="event.data.doc", timeout=timeout),
    )
    async def save(ctx: inngest_lab.Context) -> str:
        seen.append(f"{ctx.event.data['doc']}:{ctx.event.data['rev']}")
        return str(ctx.event.data["rev"])

    return save


def _edit(doc: str, rev: int) -> dict[str, Any]:
    return {"name": "doc/edited", "data": {"doc": doc, "rev": rev}}


async def test_a_burst_starts_one_run_with_the_last_event_after_a_quiet_period(
    lab: inngest_lab.Lab, client: inngest_lab.Inngest
) -> None:
    seen: list[str] = []
    lab.serve(client, [_save(client, seen)])
    lab.send(_edit("d1", 1))
    await lab.advance(minutes=4)
    lab.send(_edit("d1", 2))
    await lab.advance(minutes=4)
    [last] = lab.send(_edit("d1", 3))
    await lab.advance(minutes=4, seconds=59)
    assert seen == [] and await lab.runs() == []

    await lab.advance(seconds=1)
    assert seen == ["d1:3"]
    [run] = await lab.runs()
    assert run.event_ids == (last,) and run.output == "3"
    debounced = [e for e in await history(lab, run.run_id) if e.kind is HistoryKind.RUN_DEBOUNCED]
    assert [e.data["events"] for e in debounced] == [3]


async def test_each_key_is_debounced_on_its_own(lab: inngest_lab.Lab, client: inngest_lab.Inngest) -> None:
    seen: list[str] = []
    lab.serve(client, [_save(client, seen)])
    lab.send([_edit("d1", 1), _edit("d2", 1), _edit("d1", 2)])
    await lab.advance(minutes=5)

    assert sorted(seen) == ["d1:2", "d2:1"]


async def test_the_timeout_starts_a_run_even_while_events_keep_coming(
    lab: inngest_lab.Lab, client: inngest_lab.Inngest
) -> None:
    seen: list[str] = []
    lab.serve(client, [_save(client, seen, timeout=timedelta(minutes=10))])
    for rev in range(5):  # every 3 minutes: the 5-minute period never passes quietly
        lab.send(_edit("d1", rev))
        await lab.advance(minutes=3)
    assert seen == ["d1:3"]  # fired at minute 10, with the last event before it (minute 9)
    await lab.advance(minutes=5)
    assert seen == ["d1:3", "d1:4"]


async def test_debounce_registered_by_the_official_python_sdk_is_enforced(
    lab: inngest_lab.Lab, client: inngest_lab.Inngest
) -> None:
    seen: list[str] = []
    lab.serve(client, [_save(client, seen)])
    save = official_function(
        "save", "doc/edited", debounce=inngest.Debounce(period=timedelta(seconds=30), key="event.data.doc")
    )
    [entry] = await register_official(lab, "app", [save])
    assert entry["debounce"] == {"key": "event.data.doc", "period": "30s"}

    lab.send([_edit("d1", 1), _edit("d1", 2)])
    await lab.advance(seconds=29)
    assert seen == []
    await lab.advance(seconds=1)
    assert seen == ["d1:2"]
