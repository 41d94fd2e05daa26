"""What every test app shares: serve functions over Tornado on a free port, and record step executions.

An app writes its port to ``--port-file`` once it listens (written whole, then renamed, so a reader never
sees half a number). Step bodies call ``record(name)``, which appends one line to the file named by
``STEP_LOG``: the test counts executions across processes and restarts with it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path
from typing import Any

import tornado.web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

import inngest_lab as inngest

STEP_LOG = "STEP_LOG"


def record(name: str) -> str:
    """Append ``name`` to the step log (flushed and closed before returning); return ``"<name> done"``."""
    with Path(os.environ[STEP_LOG]).open("a") as f:
        f.write(name + "\n")
    return f"{name} done"


def run(client: inngest.Inngest, functions: list[inngest.Function[Any]]) -> None:
    """Parse ``--port-file``, serve ``functions`` at ``/api/inngest`` on a free loopback port, forever."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", type=Path, required=True)
    args = parser.parse_args()
    asyncio.run(_serve(client, functions, args.port_file))


async def _serve(client: inngest.Inngest, functions: list[inngest.Function[Any]], port_file: Path) -> None:
    app = tornado.web.Application()
    inngest.tornado.serve(app, client, functions)
    await listen_forever(app, port_file)


async def listen_forever(app: tornado.web.Application, port_file: Path) -> None:
    """Serve ``app`` on a free loopback port, written to ``port_file`` once listening; never returns."""
    sockets = bind_sockets(0, "127.0.0.1")
    HTTPServer(app).add_sockets(sockets)
    tmp = port_file.with_suffix(".tmp")
    tmp.write_text(str(sockets[0].getsockname()[1]))
    tmp.replace(port_file)
    await asyncio.Event().wait()
