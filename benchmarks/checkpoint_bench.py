"""Checkpointing modes of ``benchmarks/steps.py``: the same 10-step function over HTTP with and without checkpoints,
side by side in one invocation, with call requests per run and CPU time per step of server and app.

* ``--only sdk-fast-path``: our SDK (``bench_app.py``), its fast path (``sdk/checkpointing.py``) pipelined and
  with each step's checkpoint awaited (the default), against ``--no-checkpointing``; each in its own
  ``inngest-lab dev`` + app pair, one after the other.
* ``--only ts-checkpoint``: the official TS SDK 4.24 (``ts_bench/app.mjs``), one app serving ``ten-steps``
  (checkpointing, the TS default) and ``ten-steps-off`` (``checkpointing: false``), on one ``inngest-lab dev``.

Wall figures on a shared machine are noisy; the CPU time per step is the steadier figure.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp
import steps as bench

ROOT = Path(__file__).resolve().parent.parent
TS_BENCH = ROOT / "benchmarks" / "ts_bench"


async def _stats(session: aiohttp.ClientSession, url: str) -> dict[str, Any]:
    async with session.get(url) as resp:
        body: dict[str, Any] = await resp.json()
        return body


async def _measure(
    session: aiohttp.ClientSession,
    base: str,
    event: str,
    runs: int,
    pids: tuple[int, int],
    calls: Any,
    posts: Any = None,
) -> dict[str, float]:
    """Send ``runs`` events at once; steps/s, CPU ms per step (server, app), call requests per run and (with
    ``posts``) checkpoint POSTs per step.

    ``calls``: an async function returning the app's call request count so far for this workload; ``posts``: one
    returning the checkpoint POSTs the app sent so far.
    """
    await bench.wait_done(session, base, await bench.send(session, base, [{"name": event, "data": {}}]))  # warm
    calls0 = await calls()
    posts0 = await posts() if posts else 0
    cpu0 = tuple(bench.cpu_s(p) for p in pids)
    t0 = time.perf_counter()
    ids = await bench.send(session, base, [{"name": event, "data": {"i": i}} for i in range(runs)])
    await bench.wait_done(session, base, ids)
    elapsed = time.perf_counter() - t0
    cpu1 = tuple(bench.cpu_s(p) for p in pids)
    steps = runs * bench.STEPS
    server_ms, app_ms = ((b - a) * 1000 / steps for a, b in zip(cpu0, cpu1, strict=True))
    m = {
        "steps_per_s": steps / elapsed,
        "server_cpu_ms_per_step": server_ms,
        "app_cpu_ms_per_step": app_ms,
        "calls_per_run": (await calls() - calls0) / runs,
    }
    if posts:
        m["checkpoint_posts_per_step"] = (await posts() - posts0) / steps
    return m


def _line(who: str, runs: int, m: dict[str, float]) -> str:
    posts = m.get("checkpoint_posts_per_step")
    return (
        f"{who}, {runs} runs at a time: {m['steps_per_s']:,.0f} steps/s, {m['calls_per_run']:.1f} call requests per "
        f"run; CPU per step: server {m['server_cpu_ms_per_step']:.2f} ms, app {m['app_cpu_ms_per_step']:.2f} ms"
        + (f"; {posts:.3f} checkpoint POSTs per step" if posts is not None else "")
    )


async def sdk_fast_path(runs: int, tmp: Path) -> dict[str, float]:
    """Our SDK over HTTP: fast path on, then off (``--no-checkpointing``), each with a fresh server and app."""
    results: dict[str, float] = {}
    for label, extra in (("pipelined", ["--pipelined"]), ("on", []), ("off", ["--no-checkpointing"])):
        app_port, server_port = bench.free_port(), bench.free_port()
        app_url = f"http://127.0.0.1:{app_port}/api/inngest"
        app_args = [sys.executable, str(ROOT / "benchmarks" / "bench_app.py"), "--port", str(app_port), *extra]
        with bench.process(app_args, {"INNGEST_DEV": f"http://127.0.0.1:{server_port}"}) as app:
            async with aiohttp.ClientSession() as s:
                await bench.wait_http(s, app_url)
            async with (
                bench.dev_server(tmp / f"sdk-{label}", app_url, server_port) as (base, server),
                aiohttp.ClientSession() as s,
            ):
                await bench.wait_synced(s, base, "ten-steps")

                async def calls(s: aiohttp.ClientSession = s, port: int = app_port) -> int:
                    return int((await _stats(s, f"http://127.0.0.1:{port}/stats"))["calls"])

                async def posts(s: aiohttp.ClientSession = s, port: int = app_port) -> int:
                    return int((await _stats(s, f"http://127.0.0.1:{port}/stats"))["checkpoint_posts"])

                m = await _measure(s, base, "bench/go", runs, (server.pid, app.pid), calls, posts)
        bench.log(_line(f"our SDK over HTTP, fast path {label}", runs, m) + f"; load {bench.load_avg()}")
        results.update({f"sdk_fast_path_{label}_{k}": v for k, v in m.items()})
    on, off = results["sdk_fast_path_on_steps_per_s"], results["sdk_fast_path_off_steps_per_s"]
    piped = results["sdk_fast_path_pipelined_steps_per_s"]
    bench.log(
        f"our SDK: pipelined {piped:,.0f}, each step awaited {on:,.0f}, off {off:,.0f} steps/s "
        f"({piped / off:.2f}x, {on / off:.2f}x); target >= 3,000 steps/s"
    )
    return results


def _ensure_ts_bench() -> None:
    if (TS_BENCH / "node_modules" / "inngest" / "package.json").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("ts-checkpoint: npm is needed to install benchmarks/ts_bench (npm ci)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=TS_BENCH, check=True, timeout=600)


async def ts_checkpoint(runs: int, tmp: Path) -> dict[str, float]:
    """The official TS SDK: checkpointing on (``ten-steps``) and off (``ten-steps-off``), one server, one app."""
    _ensure_ts_bench()
    app_port, server_port = bench.free_port(), bench.free_port()
    app_url = f"http://127.0.0.1:{app_port}/api/inngest"
    results: dict[str, float] = {}
    env = {"INNGEST_DEV": f"http://127.0.0.1:{server_port}"}
    with bench.process(["node", str(TS_BENCH / "app.mjs"), str(app_port)], env) as app:
        async with aiohttp.ClientSession() as s:
            await bench.wait_http(s, app_url)
        async with bench.dev_server(tmp / "ts", app_url, server_port) as (base, server), aiohttp.ClientSession() as s:
            await bench.wait_synced(s, base, "ten-steps-off")
            for label, event, fn in (("on", "bench/go", "ten-steps"), ("off", "bench/go-off", "ten-steps-off")):

                async def calls(fn: str = fn) -> int:
                    counts = (await _stats(s, f"http://127.0.0.1:{app_port}/stats"))["calls"]
                    return int(counts.get(f"ts-bench-{fn}", 0))

                m = await _measure(s, base, event, runs, (server.pid, app.pid), calls)
                bench.log(_line(f"TS 4.24 over HTTP, checkpointing {label}", runs, m) + f"; load {bench.load_avg()}")
                results.update({f"ts_checkpoint_{label}_{k}": v for k, v in m.items()})
    on, off = results["ts_checkpoint_on_steps_per_s"], results["ts_checkpoint_off_steps_per_s"]
    bench.log(f"TS checkpointing on/off: {on:,.0f} / {off:,.0f} steps/s = {on / off:.2f}x (target >= 3x)")
    results["ts_checkpoint_speedup"] = on / off
    return results
