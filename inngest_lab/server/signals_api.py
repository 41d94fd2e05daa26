"""``POST /v1/signals``: deliver a signal to the run whose ``step.waitForSignal`` holds it (protocol-next §5.2).

Request ``{"signal": "<name>", "data": <any>}`` with the signing-key Bearer (when keys are set). Answers, as
Go's ``receiveSignal`` does:

* 200 ``{"data": {"run_id": …}, "metadata": {…}}``: a waiting run was resumed (the TS SDK requires ``run_id``);
* 404 ``{"error": "No signal found", …}``: nothing waits for the signal (or its wait expired, or the run ended);
* 400 for a body that is not an object with a non-empty string ``signal``; 401 without valid auth.
"""

from __future__ import annotations

from collections.abc import Mapping

from inngest_lab.executor.signal_send import send_signal
from inngest_lab.server.errors import BadRequest, NotFound, invalid_request
from inngest_lab.server.rest_api import AuthedHandler
from inngest_lab.server.shapes import envelope

NO_SIGNAL_MESSAGE = "No signal found"


class SignalsHandler(AuthedHandler):
    async def post(self) -> None:
        body = self.json_body()
        if not isinstance(body, Mapping):
            raise BadRequest(invalid_request("the body must be a JSON object {signal, data}"))
        signal = body.get("signal")
        if not isinstance(signal, str) or not signal.strip():
            raise BadRequest(invalid_request("signal must be a non-empty string"))
        engine = self.ctx.engine
        run_id = await send_signal(engine.store, engine.clock, signal, body.get("data"))
        if run_id is None:
            raise NotFound(NO_SIGNAL_MESSAGE)
        self.write_json(envelope({"run_id": run_id}, engine.clock.now_ms()))


def routes() -> list[tuple[str, type[SignalsHandler]]]:
    return [(r"/v1/signals/?", SignalsHandler)]
