"""The steps.py workload on DBOS Transact: a workflow of 10 steps, each returning the wall time, on Postgres.

Runs in its own environment (``benchmarks/.venv-dbos``: ``python3 -m venv benchmarks/.venv-dbos &&
benchmarks/.venv-dbos/bin/pip install dbos``), never in the project's: DBOS is a yardstick, not a dependency.
``benchmarks/steps.py --scale-out`` starts it as a subprocess on the same Postgres as our engine.

    benchmarks/.venv-dbos/bin/python benchmarks/dbos_steps.py --postgres-uri URI [--runs 200]

Like our embedded figure: warm up, then start ``--runs`` workflows at once (async workflows and steps, on one
event loop) and wait for all; steps/s = runs x 10 / elapsed. The last line on stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time

from dbos import DBOS, DBOSConfig

STEPS = 10


@DBOS.step()
async def stamp() -> float:
    return time.time()


@DBOS.workflow()
async def ten_steps(i: int) -> float:
    first = 0.0
    for _ in range(STEPS):
        value = await stamp()
        first = first or value
    return first


async def measure(runs: int) -> float:
    handles = [await DBOS.start_workflow_async(ten_steps, i) for i in range(runs)]
    for handle in handles:
        await handle.get_result()
    return 0.0


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres-uri", required=True, help="postgresql://... (DBOS's system database)")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    config: DBOSConfig = {
        "name": "bench-dbos",
        "system_database_url": args.postgres_uri,
        "log_level": "WARNING",
    }
    DBOS(config=config)
    DBOS.launch()
    logging.getLogger("dbos").setLevel(logging.WARNING)
    # warm-up: the pool's connections, the schema, the code paths
    await measure(10)
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    # start them all, then wait for all (workflows run concurrently on this loop)
    handles = [await DBOS.start_workflow_async(ten_steps, i) for i in range(args.runs)]
    results = [await handle.get_result() for handle in handles]
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    assert all(r > 0 for r in results)
    steps = args.runs * STEPS
    out = {
        "dbos_steps_per_s": steps / elapsed,
        "dbos_cpu_ms_per_step": cpu * 1000 / steps,
        "dbos_elapsed_s": elapsed,
        "dbos_version": _version(),
    }
    print(
        f"dbos: {args.runs} workflows: {steps / elapsed:,.0f} steps/s ({elapsed:.2f} s), "
        f"CPU {cpu * 1000 / steps:.2f} ms/step",
        file=sys.stderr,
        flush=True,
    )
    print(json.dumps(out), flush=True)
    DBOS.destroy()


def _version() -> str:
    from importlib.metadata import version

    return version("dbos")


if __name__ == "__main__":
    asyncio.run(main())
