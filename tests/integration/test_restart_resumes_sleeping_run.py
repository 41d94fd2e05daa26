"""Durability across a crash: ``kill -9`` the dev server mid-run, start a new one on the same SQLite directory,
and the run finishes. Steps that completed before the crash are never executed again; a step interrupted
mid-execution is executed again (at-least-once) and the run still completes. A wait for an event survives too.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import aiohttp

from inngest_lab.engine.model import HistoryKind
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.server.shapes import parse_time_ms
from tests.integration.conftest import Cluster, Rest, poll, step_lines
from tests.services import free_port

NAP_MS = 2000
FUNCTIONS = 3


async def test_run_sleeping_when_the_server_is_killed_completes_after_restart(
    cluster: Cluster, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    steps = tmp_path / "steps.log"
    port = free_port()
    app = await cluster.app(
        "restart_app", {"STEP_LOG": str(steps), "NAP_MS": str(NAP_MS), "RELEASE_FILE": ""}, server_port=port
    )
    server = cluster.server(port, [app.url])
    server.start()
    rest = Rest(server, http)
    await rest.ready(functions=FUNCTIONS)

    run = await rest.run_of(await rest.send("restart/nap"))
    await rest.in_history(run["run_id"], HistoryKind.STEP_SLEEPING)  # "before" is memoized, the timer is stored
    assert step_lines(steps) == ["before"]
    assert (await rest.data(f"/v1/runs/{run['run_id']}"))["status"] == RunStatus.RUNNING.value

    server.kill()
    server.start()  # same port, same SQLite directory
    await rest.ready(functions=FUNCTIONS)

    done = await rest.finished(run["run_id"])
    assert done["status"] == RunStatus.COMPLETED.value, cluster.logs()
    assert done["output"] == {"before": "before done", "after": "after done"}
    assert Counter(step_lines(steps)) == {"before": 1, "after": 1}
    elapsed_ms = parse_time_ms(done["ended_at"]) - parse_time_ms(done["run_started_at"])
    assert elapsed_ms >= NAP_MS, "the restart must not cut the sleep short"


async def test_run_whose_step_was_executing_when_the_server_was_killed_completes_after_restart(
    cluster: Cluster, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    steps = tmp_path / "steps.log"
    release = tmp_path / "release"
    port = free_port()
    app = await cluster.app(
        "restart_app", {"STEP_LOG": str(steps), "NAP_MS": "0", "RELEASE_FILE": str(release)}, server_port=port
    )
    server = cluster.server(port, [app.url])
    server.start()
    rest = Rest(server, http)
    await rest.ready(functions=FUNCTIONS)

    run = await rest.run_of(await rest.send("restart/blocked"))

    async def slow_started(times: int) -> bool | None:
        return True if step_lines(steps).count("slow-start") >= times else None

    await poll(lambda: slow_started(1), "the slow step to start")
    server.kill()  # the server dies while the app is still executing "slow" for it
    server.start()
    await rest.ready(functions=FUNCTIONS)
    # The new server finds the call unfinished and makes it again: "slow" starts a second time.
    await poll(lambda: slow_started(2), "the slow step to be retried by the new server")
    release.touch()

    done = await rest.finished(run["run_id"])
    assert done["status"] == RunStatus.COMPLETED.value, cluster.logs()
    assert done["output"] == ["before done", "slow done", "after done"]
    counts = Counter(step_lines(steps))
    assert counts["before"] == 1, "a step completed before the crash never runs again"
    assert counts["after"] == 1
    assert counts["slow-start"] == 2, "the interrupted step ran again (at-least-once)"


async def test_run_waiting_for_an_event_when_the_server_is_killed_resumes_on_an_event_sent_after_restart(
    cluster: Cluster, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    steps = tmp_path / "steps.log"
    port = free_port()
    app = await cluster.app(
        "restart_app", {"STEP_LOG": str(steps), "NAP_MS": "0", "RELEASE_FILE": ""}, server_port=port
    )
    server = cluster.server(port, [app.url])
    server.start()
    rest = Rest(server, http)
    await rest.ready(functions=FUNCTIONS)

    run = await rest.run_of(await rest.send("restart/wait"))
    await rest.in_history(run["run_id"], HistoryKind.STEP_WAITING)

    server.kill()
    server.start()
    await rest.ready(functions=FUNCTIONS)
    await rest.send("restart/go", {"after": "restart"})

    done = await rest.finished(run["run_id"])
    assert done["status"] == RunStatus.COMPLETED.value, cluster.logs()
    assert done["output"] == {"after": "restart"}
    assert Counter(step_lines(steps)) == {"before": 1, "after": 1}


async def test_event_accepted_just_before_the_server_is_killed_starts_exactly_one_run(
    cluster: Cluster, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    steps = tmp_path / "steps.log"
    port = free_port()
    app = await cluster.app(
        "restart_app", {"STEP_LOG": str(steps), "NAP_MS": "0", "RELEASE_FILE": ""}, server_port=port
    )
    server = cluster.server(port, [app.url])
    server.start()
    rest = Rest(server, http)
    await rest.ready(functions=FUNCTIONS)

    event_id = await rest.send("restart/nap")  # a 200 means the event is durable
    server.kill()
    server.start()
    await rest.ready(functions=FUNCTIONS)

    done = await rest.finished((await rest.run_of(event_id))["run_id"])
    assert done["status"] == RunStatus.COMPLETED.value, cluster.logs()
    assert len(await rest.data(f"/v1/events/{event_id}/runs")) == 1, "the restart must not schedule the event twice"
    assert step_lines(steps).count("after") == 1
