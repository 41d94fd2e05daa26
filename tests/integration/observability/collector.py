"""A real OTLP/HTTP trace collector for tests: a Tornado handler on a free loopback port that decodes
``opentelemetry-proto`` ``ExportTraceServiceRequest`` bodies (as any collector does) into plain spans."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import tornado.web
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets


def _value(v: AnyValue) -> Any:
    kind = v.WhichOneof("value")
    return getattr(v, kind) if kind else None


@dataclass(frozen=True, slots=True)
class Span:
    trace_id: str
    span_id: str
    parent_id: str  # "" for a root
    name: str
    attributes: dict[str, Any]
    status: int  # 0 unset, 1 ok, 2 error
    status_message: str
    events: list[tuple[str, dict[str, Any]]]
    start_ns: int
    end_ns: int
    service: str
    instance: str  # service.instance.id: one per process
    links: list[tuple[str, str]]  # (trace id, span id) of each linked span


@dataclass
class Collector:
    spans: list[Span] = field(default_factory=list)
    requests: int = 0
    paths: list[str] = field(default_factory=list)
    url: str = ""
    server: HTTPServer | None = None

    def trace(self, trace_id: str) -> list[Span]:
        return [s for s in self.spans if s.trace_id == trace_id]


class _TracesHandler(tornado.web.RequestHandler):
    def initialize(self, collector: Collector) -> None:
        self.collector = collector

    def post(self) -> None:
        assert self.request.headers.get("Content-Type") == "application/x-protobuf"
        request = ExportTraceServiceRequest()
        request.ParseFromString(self.request.body)
        self.collector.requests += 1
        self.collector.paths.append(self.request.path)
        for rs in request.resource_spans:
            resource = {a.key: _value(a.value) for a in rs.resource.attributes}
            for ss in rs.scope_spans:
                for s in ss.spans:
                    self.collector.spans.append(
                        Span(
                            trace_id=s.trace_id.hex(),
                            span_id=s.span_id.hex(),
                            parent_id=s.parent_span_id.hex(),
                            name=s.name,
                            attributes={a.key: _value(a.value) for a in s.attributes},
                            status=s.status.code,
                            status_message=s.status.message,
                            events=[(e.name, {a.key: _value(a.value) for a in e.attributes}) for e in s.events],
                            start_ns=s.start_time_unix_nano,
                            end_ns=s.end_time_unix_nano,
                            service=str(resource.get("service.name")),
                            instance=str(resource.get("service.instance.id", "")),
                            links=[(link.trace_id.hex(), link.span_id.hex()) for link in s.links],
                        )
                    )
        self.set_header("Content-Type", "application/x-protobuf")
        self.finish(ExportTraceServiceResponse().SerializeToString())


def start_collector() -> Collector:
    """Listen on a free loopback port (on the running loop); traces are posted to ``url + /v1/traces``."""
    collector = Collector()
    app = tornado.web.Application([(r"/v1/traces", _TracesHandler, {"collector": collector})])
    sockets = bind_sockets(0, "127.0.0.1")
    server = HTTPServer(app)
    server.add_sockets(sockets)
    collector.server = server
    collector.url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}"
    return collector
