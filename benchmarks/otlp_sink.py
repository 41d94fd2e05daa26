"""A local OTLP/HTTP trace collector for benchmarks: decodes every ``ExportTraceServiceRequest`` and counts spans.

python benchmarks/otlp_sink.py PORT      # serves POST /v1/traces; GET /count answers the spans received
"""

from __future__ import annotations

import asyncio
import sys

import tornado.web
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

RECEIVED = {"spans": 0, "requests": 0}


class Traces(tornado.web.RequestHandler):
    def post(self) -> None:
        request = ExportTraceServiceRequest()
        request.ParseFromString(self.request.body)
        RECEIVED["requests"] += 1
        RECEIVED["spans"] += sum(len(ss.spans) for rs in request.resource_spans for ss in rs.scope_spans)
        self.set_header("Content-Type", "application/x-protobuf")
        self.finish(ExportTraceServiceResponse().SerializeToString())


class Count(tornado.web.RequestHandler):
    def get(self) -> None:
        self.finish(RECEIVED)


async def main() -> None:
    app = tornado.web.Application([(r"/v1/traces", Traces), (r"/count", Count)], log_function=lambda _h: None)
    app.listen(int(sys.argv[1]), "127.0.0.1")
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
