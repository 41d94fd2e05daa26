"""A kernel's ``Lab()`` attached to the engine the Jupyter server hosts: it serves its functions to that
engine (so the sidebar lists them), sends events, waits for runs and feeds live views."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import inngest_lab
from inngest_lab.jupyter.attach import INFO_ENV, JupyterServer, attach_if_hosted, discover
from inngest_lab.jupyter.remote import AttachedLab
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.workbench.live import RunChange
from tests.jupyter.conftest import Run


def _greeter() -> tuple[inngest_lab.Inngest, list[Any]]:
    client = inngest_lab.Inngest(app_id="notebook")

    @client.create_function(fn_id="greet", trigger=inngest_lab.TriggerEvent(event="nb/hello"))
    async def greet(ctx: inngest_lab.Context) -> str:
        name = await ctx.step.run("lookup", lambda: str(ctx.event.data["who"]))
        greeting: str = await ctx.step.run("greet", lambda: f"hi {name}")
        return greeting

    return client, [greet]


def test_attached_lab_runs_its_functions_on_the_hosted_engine(
    jp_fetch: Any, run: Run[Any], api_url: str, jp_serverapp: Any
) -> None:
    server = JupyterServer(api_url, jp_serverapp.identity_provider.token)

    async def scenario() -> None:
        lab = AttachedLab(server)
        assert "attached to the engine hosted by this Jupyter server" in lab.mode
        client, functions = _greeter()
        lab.serve(client, functions)
        assert lab.functions() == ["notebook-greet"]
        [event_id] = lab.send({"name": "nb/hello", "data": {"who": "Ada"}})
        [done] = await lab.wait(event_id, 10)
        assert (done.status, done.output, done.event_ids) == (RunStatus.COMPLETED, "hi Ada", (event_id,))
        assert [e.kind.value for e in await lab.history(done.run_id)][-1] == "run.completed"
        assert [f.fn_id for f in await lab.function_defs()] == ["notebook-greet"]
        assert (await lab.event(event_id)).name == "nb/hello"  # type: ignore[union-attr]
        assert [r.run_id for r in await lab.runs(fn_id="notebook-greet")] == [done.run_id]
        [again] = await lab.wait(await lab.rerun(done.run_id), 10)
        assert (again.output, again.original_run_id) == ("hi Ada", done.run_id)
        [replayed] = await lab.wait(await lab.replay(event_id), 10)
        assert replayed.output == "hi Ada"
        # client.send_sync in a cell: the SDK sends from a private loop in another thread
        [sync_id] = await asyncio.to_thread(client.send_sync, inngest_lab.Event(name="nb/hello", data={"who": "Bo"}))
        [from_sync] = await lab.wait(sync_id, 10)
        assert from_sync.output == "hi Bo"

        # A live view of every run hears about the next one as the hosted engine commits it.
        changes: list[RunChange] = []
        finished = asyncio.Event()

        def seen(change: RunChange) -> None:
            changes.append(change)
            if change.run is not None and change.run.status.is_terminal:
                finished.set()

        unsubscribe = lab.watch(None, seen)
        await asyncio.sleep(0.2)  # the stream connects
        await lab.send_async([{"name": "nb/hello", "data": {"who": "Grace"}}])
        await asyncio.wait_for(finished.wait(), 10)
        unsubscribe()
        kinds = [e.kind.value for c in changes for e in c.entries]
        assert kinds[0] == "run.scheduled" and kinds[-1] == "run.completed"
        assert len(kinds) == len(set(zip(kinds, range(len(kinds)), strict=True)))
        await lab.close()

    run(scenario())
    listed = json.loads(run(jp_fetch("inngest-lab", "lab", "functions")).body)["data"]
    assert [f["id"] for f in listed] == ["notebook-greet"]  # what the sidebar shows


def test_a_kernel_finds_its_server_through_the_info_file(tmp_path: Path) -> None:
    info = tmp_path / "jpserver-1.json"
    info.write_text(json.dumps({"url": "http://127.0.0.1:8888/base/", "token": "t0k"}))
    found = discover({INFO_ENV: str(info)})
    assert found == JupyterServer("http://127.0.0.1:8888/base/inngest-lab/", "t0k")
    assert found.headers == {"Authorization": "token t0k"}
    assert discover({}) is None
    assert discover({INFO_ENV: str(tmp_path / "gone.json")}) is None


def test_lab_with_a_path_or_a_fake_clock_stays_embedded(tmp_path: Path, run: Run[Any]) -> None:
    async def decide() -> list[object]:
        return [attach_if_hosted(str(tmp_path / "x.db")), attach_if_hosted(fake_clock=True)]

    assert run(decide()) == [None, None]
