"""A small OpenAI-compatible chat-completions server for the AI gateway scenarios, on a free loopback port.

``POST /<mode>/v1/chat/completions`` answers by ``mode``: ``ok`` a completion (with ``usage`` token counts),
``flaky`` a 500 on its first request and a completion after, ``denied`` always a 401. Every request is
recorded (mode, ``Authorization`` header, JSON body) so a test can check what the inngest-lab server sent.
The same server answers ``/echo`` for ``step.fetch``: a 418 whose body and ``X-Reply`` header echo the request.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import tornado.web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets


@dataclass
class Request:
    mode: str
    authorization: str
    body: Any
    headers: dict[str, str]


@dataclass
class ModelServer:
    port: int = 0
    requests: list[Request] = field(default_factory=list)

    def base_url(self, mode: str) -> str:
        """The ``baseUrl``/``base_url`` an OpenAI model is configured with (ends in ``/`` as TS resolves it)."""
        return f"http://127.0.0.1:{self.port}/{mode}/v1/"

    def of(self, mode: str) -> list[Request]:
        return [r for r in self.requests if r.mode == mode]


class _Completions(tornado.web.RequestHandler):
    def initialize(self, server: ModelServer) -> None:
        self.server = server

    def post(self, mode: str) -> None:
        body = json.loads(self.request.body or b"null")
        headers = {k.lower(): v for k, v in self.request.headers.items()}
        self.server.requests.append(Request(mode, self.request.headers.get("Authorization", ""), body, headers))
        seen = len(self.server.of(mode))
        if mode == "denied":
            self.set_status(401)
            self.finish({"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}})
            return
        if mode == "flaky" and seen == 1:
            self.set_status(500)
            self.finish({"error": {"message": "The server is overloaded", "type": "server_error"}})
            return
        prompt = body["messages"][-1]["content"]
        self.finish(
            {
                "id": f"cmpl-{seen}",
                "object": "chat.completion",
                "model": body.get("model"),
                "choices": [{"index": 0, "message": {"role": "assistant", "content": f"echo: {prompt}"}}],
                "usage": {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12},
            }
        )


class _Echo(tornado.web.RequestHandler):
    def initialize(self, server: ModelServer) -> None:
        self.server = server

    def post(self) -> None:
        headers = {k.lower(): v for k, v in self.request.headers.items()}
        self.server.requests.append(Request("echo", "", self.request.body.decode(), headers))
        self.set_status(418)
        self.set_header("X-Reply", "teapot")
        self.finish(f"echo {self.request.body.decode()}")


@asynccontextmanager
async def model_server() -> AsyncIterator[ModelServer]:
    """Serve a :class:`ModelServer` on the running loop for the duration of the block."""
    server = ModelServer()
    app = tornado.web.Application(
        [(r"/(\w+)/v1/chat/completions", _Completions, {"server": server}), (r"/echo", _Echo, {"server": server})]
    )
    sockets = bind_sockets(0, "127.0.0.1")
    server.port = int(sockets[0].getsockname()[1])
    http = HTTPServer(app)
    http.add_sockets(sockets)
    try:
        yield server
    finally:
        http.stop()
