"""Our SDK's fast path (``inngest_lab/sdk/checkpointing.py``) served over HTTP, for its scenario tests.

Two apps in one process, each step body recording its name in ``STEP_LOG``:

* ``fast`` (default checkpointing: each step's checkpoint awaited) at ``/api/inngest``:
  ``fast-quick`` (``fast/quick``): ten quick steps, returns their sum;
  ``fast-slow-middle`` (``fast/slow-middle``): ``first`` → ``slow`` (waits ``data.ms``) → ``after`` → ``last``.
* ``piped`` (``CheckpointConfig(settle_after_ms=50)``) at ``/api/piped``: ``piped-quick`` (``piped/quick``).

``GET /stats?run=<id>`` answers ``{"calls": n, "answers": [status…]}``: the call requests the server made for
that run (``X-Run-ID``) and the statuses they were answered with. ``GET /senders`` answers the checkpoint POSTs
the process sent and the checkpoints they carried, ``{"posts": p, "checkpoints": c, "batched": bool}``.
"""

from __future__ import annotations

import argparse
import asyncio
from collections import defaultdict
from pathlib import Path

import tornado.web

import inngest_lab as inngest
from inngest_lab.sdk.checkpoint_sender import senders
from inngest_lab.sdk.checkpointing import PIPELINED_SETTLE_AFTER_MS, CheckpointConfig
from tests.integration.apps.common import listen_forever, record

fast = inngest.Inngest(app_id="fast", is_production=False)
piped = inngest.Inngest(
    app_id="piped", is_production=False, checkpointing=CheckpointConfig(settle_after_ms=PIPELINED_SETTLE_AFTER_MS)
)


async def _ten_quick_steps(ctx: inngest.Context) -> int:
    total = 0
    for i in range(10):
        total += await ctx.step.run(f"s{i}", lambda i=i: int(record(f"s{i}") != "") * i)
    return total


fast_quick = fast.create_function(fn_id="quick", trigger=inngest.TriggerEvent(event="fast/quick"), retries=0)(
    _ten_quick_steps
)
piped_quick = piped.create_function(fn_id="quick", trigger=inngest.TriggerEvent(event="piped/quick"), retries=0)(
    _ten_quick_steps
)


@fast.create_function(fn_id="slow-middle", trigger=inngest.TriggerEvent(event="fast/slow-middle"), retries=0)
async def slow_middle(ctx: inngest.Context) -> list[str]:
    async def slow() -> str:
        record("slow")
        await asyncio.sleep(ctx.event.data["ms"] / 1000)
        return "two"

    first = await ctx.step.run("first", lambda: record("first") and "one")
    middle = await ctx.step.run("slow", slow)
    after = await ctx.step.run("after", lambda: record("after") and "three")
    last = await ctx.step.run("last", lambda: record("last") and "four")
    return [first, middle, after, last]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", type=Path, required=True)
    asyncio.run(_serve(parser.parse_args().port_file))


async def _serve(port_file: Path) -> None:
    calls: dict[str, int] = defaultdict(int)
    answers: dict[str, list[int]] = defaultdict(list)

    def count(handler: tornado.web.RequestHandler) -> None:  # Tornado's log_function sees every finished request
        run_id = handler.request.headers.get("X-Run-ID")
        if handler.request.method == "POST" and run_id:
            calls[run_id] += 1
            answers[run_id].append(handler.get_status())

    class Stats(tornado.web.RequestHandler):
        def get(self) -> None:
            run_id = self.get_argument("run")
            self.write({"calls": calls[run_id], "answers": answers[run_id]})

    class Senders(tornado.web.RequestHandler):
        def get(self) -> None:
            sent = senders()
            self.write(
                {
                    "posts": sum(s.posts for s in sent),
                    "checkpoints": sum(s.sent for s in sent),
                    "batched": all(s.batched for s in sent),
                }
            )

    app = tornado.web.Application([(r"/stats", Stats), (r"/senders", Senders)], log_function=count)
    inngest.tornado.serve(app, fast, [fast_quick, slow_middle])
    inngest.tornado.serve(app, piped, [piped_quick], serve_path="/api/piped")
    await listen_forever(app, port_file)


if __name__ == "__main__":
    main()
