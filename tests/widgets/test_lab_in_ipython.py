"""In IPython, a Lab says which engine and clock it uses, and a run or an event displays as a widget."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell

import inngest_lab as inngest

WIDGET = "application/vnd.jupyter.widget-view+json"


@pytest.fixture
def shell() -> Iterator[InteractiveShell]:
    shell = InteractiveShell.instance()
    try:
        yield shell
    finally:
        InteractiveShell.clear_instance()  # later Labs in this process are not in IPython


async def test_lab_announces_its_mode_and_runs_and_events_display_as_widgets(
    shell: InteractiveShell, tmp_path: Path, capsys: pytest.CaptureFixture[str], client: inngest.Inngest
) -> None:
    async with inngest.Lab(tmp_path / "lab.db", fake_clock=True) as lab:
        assert capsys.readouterr().out == (
            f"inngest-lab: embedded engine on SQLite {tmp_path / 'lab.db'}, fake clock at 2026-01-01 00:00:00 UTC"
            " (time moves only with `await lab.advance(...)`)\n"
        )

        @client.create_function(fn_id="hello", trigger=inngest.TriggerEvent(event="shop/hello"))
        async def hello(ctx: inngest.Context) -> str:
            said: str = await ctx.step.run("say", lambda: "hi")
            return said

        lab.serve(client, [hello])
        [event_id] = lab.send({"name": "shop/hello"})
        [run] = await lab.wait(event_id)
        event = await lab.event(event_id)

        formatter = shell.display_formatter
        assert formatter is not None
        run_bundle, _ = formatter.format(run)  # type: ignore[no-untyped-call]
        assert WIDGET in run_bundle and "say" in run_bundle["text/html"]
        event_bundle, _ = formatter.format(event)  # type: ignore[no-untyped-call]
        assert WIDGET in event_bundle and run.run_id in event_bundle["text/plain"]


async def test_outside_ipython_a_lab_prints_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    async with inngest.Lab(tmp_path / "lab.db", fake_clock=True):
        assert capsys.readouterr().out == ""


async def test_a_new_lab_in_the_same_kernel_closes_the_previous_one(
    shell: InteractiveShell, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = inngest.Lab(tmp_path / "lab.db", fake_clock=True)  # the cell, run once
    second = inngest.Lab(tmp_path / "lab.db", fake_clock=True)  # and again
    try:
        assert first.closed and not second.closed
        assert capsys.readouterr().out.splitlines()[-1] == "inngest-lab: the previous Lab is closed"
        await first.close()  # waits for the close already under way
    finally:
        await second.close()
