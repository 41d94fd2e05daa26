"""The notebook widget's realtime pane under a burst: messages published for a run to a ``RunTimeline``.

    python benchmarks/realtime_widget.py [--messages 5000] [--rows 200] [--yield-each]

An embedded Lab (fake clock, SQLite file in a temporary directory) runs a function parked on a sleep; a
``RunTimeline`` of that run follows its realtime stream (``RealtimeFollower`` into the ``realtime`` trait); this
process then publishes ``--messages`` messages for the run as fast as it can (``Lab.publish_realtime``; with
``--yield-each`` it lets the loop run between publishes, so the follower sees a stream rather than one burst)
and waits until the widget's trait holds the last one. Printed: wall and CPU time per message (publisher, broker,
follower and the trait's JSON sync share this process; wall figures on a busy machine mislead), how many trait
updates the burst became (the follower coalesces), and the trait's size (bounded by ``--rows``). The last
stdout line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import inngest_lab as inngest
from inngest_lab.widgets import RunTimeline


async def main(messages: int, rows: int, yield_each: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        async with inngest.Lab(Path(tmp) / "lab.db", fake_clock=True) as lab:
            client = inngest.Inngest(app_id="bench")

            @client.create_function(fn_id="parked", trigger=inngest.TriggerEvent(event="bench/park"))
            async def parked(ctx: inngest.Context) -> None:
                await ctx.step.sleep("park", timedelta(hours=1))

            lab.serve(client, [parked])
            [event_id] = lab.send({"name": "bench/park"})
            await lab.idle()
            [run] = await lab.runs(event_id=event_id)
            widget = RunTimeline(run)
            follower = await widget.pane.realtime_started()
            assert follower is not None
            follower.log.max_rows = rows
            updates = 0
            last_in = asyncio.Event()

            def counted(change: Any) -> None:
                nonlocal updates
                updates += 1
                shown = change["new"].get("messages") or []
                if shown and shown[-1]["data"]["i"] == messages - 1:
                    last_in.set()

            widget.observe(counted, names="realtime")
            wall, cpu = time.perf_counter(), time.process_time()
            for i in range(messages):
                await lab.publish_realtime("bench", "tick", {"i": i, "progress": (i + 1) / messages}, run.run_id)
                if yield_each:
                    await asyncio.sleep(0)
            await asyncio.wait_for(last_in.wait(), 60)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            size = len(json.dumps(widget.realtime))
            widget.close()
    return {
        "messages": messages,
        "rows": rows,
        "yield_each": yield_each,
        "wall_us_per_message": round(wall / messages * 1e6, 1),
        "cpu_us_per_message": round(cpu / messages * 1e6, 1),
        "trait_updates": updates,
        "trait_json_bytes": size,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--yield-each", action="store_true", help="let the loop run between publishes")
    args = parser.parse_args()
    figures = asyncio.run(main(args.messages, args.rows, args.yield_each))
    print(
        f"{figures['messages']} messages: {figures['wall_us_per_message']} µs wall, "
        f"{figures['cpu_us_per_message']} µs CPU per message; {figures['trait_updates']} trait updates; "
        f"trait {figures['trait_json_bytes']} bytes of JSON ({figures['rows']} rows)"
    )
    print(json.dumps(figures))
