"""``step.fetch`` (TS, the ``Gateway`` op): the server makes the request; any HTTP status, a 418 here, is a result
with url, headers, body and status code, which the SDK turns back into a ``Response``."""

from __future__ import annotations

from inngest_lab.engine.model import HistoryKind
from tests.integration.official.harness import Target
from tests.integration.official.model_server import model_server


async def test_a_418_comes_back_to_the_function_as_a_response(ts_target: Target) -> None:
    async with model_server() as server:
        url = f"http://127.0.0.1:{server.port}/echo"
        run = await ts_target.run("fetch", {"url": url})

    assert run["status"] == "Completed", ts_target.logs()
    assert run["output"] == {"status": 418, "text": 'echo {"a":1}', "reply": "teapot"}
    [request] = server.of("echo")
    assert request.body == '{"a":1}'
    assert request.headers["x-lab"] == "1"
    [done] = [e for e in ts_target.history(run["run_id"]) if e.kind is HistoryKind.STEP_COMPLETED]
    assert done.data["output"]["status_code"] == 418
    assert done.data["output"]["url"] == url
    assert done.data["gateway"]["kind"] == "fetch"
