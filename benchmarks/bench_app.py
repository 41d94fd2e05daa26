"""The benchmark workload served over HTTP by our SDK on Tornado (or by the official SDK with --official).

The function runs 10 ``step.run`` steps; its output is the wall time (epoch seconds) at which the
first step ran, so the benchmark can compute event-to-first-step latency across processes.

    python benchmarks/bench_app.py --port 8123 [--official] [--no-checkpointing | --pipelined]

Our SDK checkpoints (its fast path, ``inngest_lab/sdk/checkpointing.py``) unless ``--no-checkpointing``;
``--pipelined``: quick steps do not wait for their checkpoints.
``GET /stats`` answers ``{"calls": n, "checkpoint_posts": p, "checkpoints": c}``: the call requests (POSTs)
served so far, and the checkpoint POSTs our SDK sent and the checkpoints they carried (``sdk/checkpoint_sender.py``).

With ``INNGEST_SIGNING_KEY`` in the environment (our SDK only) the app runs in production mode, for
``inngest-lab start``: it verifies the server's signatures and finds the server through ``INNGEST_BASE_URL``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from typing import Any

import tornado.web

STEPS = 10


def build(official: bool, checkpointing: Any = True) -> tuple[Any, list[Any]]:
    if official:
        return _build_official()
    import inngest_lab as sdk

    # production mode for `inngest-lab start` (which refuses a dev-mode app), dev mode otherwise
    client = sdk.Inngest(
        app_id="bench", is_production=bool(os.environ.get("INNGEST_SIGNING_KEY")), checkpointing=checkpointing
    )

    @client.create_function(fn_id="ten-steps", trigger=sdk.TriggerEvent(event="bench/go"), retries=0)
    async def ten_steps(ctx: Any) -> Any:
        first = 0.0
        for i in range(STEPS):
            value = await ctx.step.run(f"s{i}", _stamp)
            if i == 0:
                first = value
        return first

    return sdk, [client, [ten_steps]]


def _build_official() -> tuple[Any, list[Any]]:
    """The same workload on the official SDK. Its Tornado adapter serves synchronous functions only."""
    import inngest
    import inngest.tornado  # the package does not import its framework adapters itself

    client = inngest.Inngest(app_id="bench", is_production=False)

    @client.create_function(fn_id="ten-steps", trigger=inngest.TriggerEvent(event="bench/go"), retries=0)
    def ten_steps(ctx: inngest.ContextSync) -> float:
        first = 0.0
        for i in range(STEPS):
            value = ctx.step.run(f"s{i}", time.time)
            if i == 0:
                first = value
        return first

    return inngest, [client, [ten_steps]]


async def _stamp() -> float:
    return time.time()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--official", action="store_true", help="serve with the official inngest SDK")
    parser.add_argument("--no-checkpointing", action="store_true", help="our SDK: one call request per step")
    parser.add_argument("--pipelined", action="store_true", help="our SDK: quick steps do not wait for checkpoints")
    args = parser.parse_args()
    if not os.environ.get("INNGEST_SIGNING_KEY"):
        os.environ.setdefault("INNGEST_DEV", "1")
    from inngest_lab.sdk.checkpointing import PIPELINED_SETTLE_AFTER_MS, CheckpointConfig

    checkpointing: Any = not args.no_checkpointing
    if args.pipelined:
        checkpointing = CheckpointConfig(settle_after_ms=PIPELINED_SETTLE_AFTER_MS)
    sdk, (client, functions) = build(args.official, checkpointing=checkpointing)
    calls = [0]

    def count(handler: tornado.web.RequestHandler) -> None:  # Tornado's log_function sees every request
        calls[0] += handler.request.method == "POST"

    class Stats(tornado.web.RequestHandler):
        def get(self) -> None:
            from inngest_lab.sdk.checkpoint_sender import senders

            sent = senders() if not args.official else []
            posts, checkpoints = sum(s.posts for s in sent), sum(s.sent for s in sent)
            self.write({"calls": calls[0], "checkpoint_posts": posts, "checkpoints": checkpoints})

    app = tornado.web.Application([(r"/stats", Stats)], log_function=count)
    sdk.tornado.serve(app, client, functions)
    app.listen(args.port, address="127.0.0.1")
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
