"""A ``Lab`` first used outside any event loop (a script, a WSGI app) runs its engine on a thread of its own.

``serve``/``send``/``client.send_sync`` hand their work to that thread in call order, ``wait_sync`` and
``blocking(...)`` block on it, awaiting it from another loop fails with a message that says what to do, and
leaving ``with`` closes the engine (the SQLite file is then free for the next Lab).
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

import inngest_lab as inngest


def _app() -> tuple[inngest.Inngest, inngest.Function[str]]:
    client = inngest.Inngest(app_id="app", is_production=False)

    @client.create_function(fn_id="greet", trigger=inngest.TriggerEvent(event="app/greet"))
    async def greet(ctx: inngest.Context) -> str:
        name = await ctx.step.run("lookup", lambda: str(ctx.event.data["name"]))
        await ctx.step.sleep("nap", 1000)  # fake clock: wait_sync alone does not pass it, advance does
        return f"hello {name}"

    return client, greet


def test_sync_code_serves_sends_waits_and_closes(tmp_path: Path) -> None:
    client, greet = _app()
    threads_before = {t.ident for t in threading.enumerate()}
    with inngest.Lab(tmp_path / "lab.db", fake_clock=True) as lab:
        lab.serve(client, [greet])
        [first] = lab.send({"name": "app/greet", "data": {"name": "Ada"}})
        [second] = client.send_sync(inngest.Event(name="app/greet", data={"name": "Bo"}))
        lab.blocking(lab.advance(seconds=1))
        [run] = lab.wait_sync(first)
        assert (run.status, run.output) == (inngest.RunStatus.COMPLETED, "hello Ada")
        [other] = lab.wait_sync(second)
        assert other.output == "hello Bo"
        assert {r.run_id for r in lab.blocking(lab.runs())} == {run.run_id, other.run_id}
    assert lab.closed
    # the loop thread is gone, and the file is free: a new Lab opens it and sees the stored runs
    assert not [t for t in threading.enumerate() if t.ident not in threads_before and t.name == "inngest-lab"]
    with inngest.Lab(tmp_path / "lab.db") as again:
        assert len(again.blocking(again.runs())) == 2


def test_awaiting_a_thread_lab_from_another_loop_says_what_to_do() -> None:
    with inngest.Lab(":memory:") as lab:
        lab.send({"name": "app/greet", "data": {}})  # first use, outside a loop: the Lab takes its own thread
        with pytest.raises(RuntimeError, match=r"wait_sync\(\.\.\.\) or lab\.blocking"):
            asyncio.run(lab.runs())


async def test_blocking_on_a_lab_of_the_running_loop_says_to_await() -> None:
    lab = inngest.Lab(":memory:")
    try:
        with pytest.raises(RuntimeError, match="await it instead"):
            lab.wait_sync("01J0000000000000000000000")
    finally:
        await lab.close()
