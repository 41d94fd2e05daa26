"""Tornado adapter: mount a ``CommHandler`` on an application (mirrors ``inngest.tornado.serve``)."""

from __future__ import annotations

from typing import Any

import tornado.web

from inngest_lab.sdk.client import Inngest
from inngest_lab.sdk.comm import CommHandler, CommRequest, CommResponse
from inngest_lab.sdk.function import Function

FRAMEWORK = "tornado"


def serve(
    app: tornado.web.Application,
    client: Inngest,
    functions: list[Function[Any]],
    *,
    serve_path: str = "/api/inngest",
    serve_origin: str | None = None,
    checkpointing: bool = True,
) -> CommHandler:
    """Serve ``functions`` at ``serve_path`` (GET introspection, PUT sync, POST call requests).

    ``checkpointing=False``: no fast path whatever the client says (for servers whose API the client cannot reach).
    """
    comm = CommHandler(
        client, functions, serve_origin=serve_origin, serve_path=None, framework=FRAMEWORK, checkpointing=checkpointing
    )

    class InngestHandler(tornado.web.RequestHandler):
        def check_xsrf_cookie(self) -> None:
            return None  # the server signs requests instead

        def _comm_request(self) -> CommRequest:
            r = self.request
            query = {k: v[0].decode() for k, v in r.query_arguments.items() if v}
            return CommRequest(r.method or "GET", r.full_url(), query, dict(r.headers), r.body or None)

        def _write(self, res: CommResponse) -> None:
            self.set_status(res.status)
            for name, value in res.headers.items():
                self.set_header(name, value)
            self.finish(res.body_bytes())

        async def get(self) -> None:
            self._write(await comm.get(self._comm_request()))

        async def post(self) -> None:
            self._write(await comm.post(self._comm_request()))

        async def put(self) -> None:
            self._write(await comm.put(self._comm_request()))

    app.add_handlers(r".*", [(serve_path, InngestHandler)])
    return comm
