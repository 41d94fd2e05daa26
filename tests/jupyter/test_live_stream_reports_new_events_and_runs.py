"""``GET /inngest-lab/lab/live`` streams what changed (Server-Sent Events), authenticated by Jupyter."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
from yarl import URL

from inngest_lab.engine.model import Json
from inngest_lab.jupyter.host import EngineHost
from tests.jupyter.conftest import Run


def test_stream_reports_the_event_and_the_run_it_started(
    jp_fetch: Any,
    run: Run[Any],
    api_url: str,
    jp_auth_header: dict[str, str],
    host: EngineHost,
    greeter: dict[str, Json],
) -> None:
    run(jp_fetch("inngest-lab", "fn", "register", method="POST", body=json.dumps(greeter)))

    async def watch() -> list[dict[str, Json]]:
        seen: list[dict[str, Json]] = []
        async with (
            aiohttp.ClientSession() as session,
            session.get(URL(api_url + "lab/live", encoded=True), headers=jp_auth_header) as resp,
        ):
            assert resp.status == 200
            assert resp.headers["Content-Type"].startswith("text/event-stream")
            assert await resp.content.readline() == b": connected\n"
            await host.engine.send([{"name": "demo/hello", "data": {}, "id": "e1", "ts": 1, "user": {}}])
            async for line in resp.content:
                if line.startswith(b"data: "):
                    seen.extend(json.loads(line[6:]))
                if any(n.get("status") == "Completed" for n in seen):
                    return seen
        return seen

    notices = run(asyncio.wait_for(watch(), 10.0))
    assert [n["name"] for n in notices if n["type"] == "event"] == ["demo/hello"]
    assert any(n["type"] == "run" and n.get("function_id") == "greeter-hello" for n in notices)


def test_stream_refuses_anonymous_clients(run: Run[Any], api_url: str) -> None:
    async def status() -> int:
        async with aiohttp.ClientSession() as session, session.get(URL(api_url + "lab/live", encoded=True)) as resp:
            return resp.status

    assert run(status()) == 403
