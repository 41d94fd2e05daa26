"""``step.run`` returns each step's output; a repeated step id gets its own memo (hashed ``a:1``)."""

from __future__ import annotations

from inngest_lab.engine.model import HistoryKind
from tests.integration.official.harness import Target


async def test_step_run_returns_each_output_and_a_repeated_id_runs_again(target: Target) -> None:
    run = await target.run("run")

    assert run["status"] == "Completed", target.logs()
    assert run["output"] == {"first": "A", "again": "A2"}
    completed = [e for e in target.history(run["run_id"]) if e.kind is HistoryKind.STEP_COMPLETED]
    assert [e.step_id for e in completed] == [
        "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8",  # sha1("a")
        "de89bfaf06245091a7873290a793604612302247",  # sha1("a:1")
    ]
