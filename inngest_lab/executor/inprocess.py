"""In-process driver: calls functions defined in this process through the SDK's own handler.

It goes through the same opcode path as HTTP (``CommHandler.post``), minus the JSON encoding and
signature checks, so an embedded run behaves exactly like a served one.
"""

from __future__ import annotations

from collections.abc import Mapping

from inngest_lab.engine.model import FunctionDef, Json
from inngest_lab.executor.ports import CallResult
from inngest_lab.protocol.consts import Header
from inngest_lab.sdk.comm import CommHandler, CommRequest

SCHEME = "inproc"


def app_url(app_id: str) -> str:
    """The runtime URL recorded for an in-process app."""
    return f"{SCHEME}://{app_id}"


class InProcessDriver:
    """Routes a call to the ``CommHandler`` registered for the function's app."""

    def __init__(self) -> None:
        self._handlers: dict[str, CommHandler] = {}

    def mount(self, app_id: str, handler: CommHandler) -> None:
        """Serve ``app_id`` from ``handler``; re-mounting replaces the previous handler (cell re-runs)."""
        self._handlers[app_id] = handler

    async def call(
        self, fn: FunctionDef, step_id: str, request: Mapping[str, Json], *, request_id: str | None = None
    ) -> CallResult:
        handler = self._handlers.get(fn.app_id)
        if handler is None:
            return CallResult(status=0, transport_error=f"app {fn.app_id!r} is not served in this process")
        response = await handler.post(
            CommRequest(
                method="POST",
                url=fn.url,
                query={"fnId": fn.fn_id, "stepId": step_id},
                headers={Header.REQUEST_ID.value.lower(): request_id} if request_id else {},
                parsed=request,
            )
        )
        return CallResult(
            status=response.status, headers={k.lower(): v for k, v in response.headers.items()}, body=response.body
        )
