"""Step throughput and latency, embedded and over HTTP, plus Event API ingest rates.

    python benchmarks/steps.py [--quick] [--official] [--only embedded|http|official|ingest]

* embedded: Lab on a SQLite file, in-process driver, a 10-step async function;
  runs one at a time (inter-step latency) and 50 at a time (steps/s).
* http: ``inngest-lab dev`` in one process, the same function served by our SDK on Tornado in another
  (``--official``: served by the official ``inngest`` SDK), 50 runs at a time.
* ingest: ``POST /e`` with arrays of 100 events, and with one event per request.

Progress goes to stderr; the last line on stdout is one JSON object with the headline figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp

import inngest_lab as inngest

ROOT = Path(__file__).resolve().parent.parent
STEPS = 10


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# ---------------------------------------------------------------- embedded


def ten_step_function(client: inngest.Inngest) -> inngest.Function[Any]:
    async def stamp() -> float:
        return time.time()

    @client.create_function(fn_id="ten-steps", trigger=inngest.TriggerEvent(event="bench/go"), retries=0)
    async def ten_steps(ctx: inngest.Context) -> float:
        first = 0.0
        for i in range(STEPS):
            value = await ctx.step.run(f"s{i}", stamp)
            first = first or value
        return first

    return ten_steps


async def embedded(runs_seq: int, runs_par: int, db: Path) -> dict[str, float]:
    lab = inngest.Lab(db)
    await lab.start()
    client = inngest.Inngest(app_id="bench", is_production=False)
    lab.serve(client, [ten_step_function(client)])
    await lab.idle()
    # one at a time: inter-step latency from the step history (completion to completion)
    gaps: list[float] = []
    first_step: list[float] = []
    for _ in range(runs_seq):
        sent = time.time()
        [event_id] = await lab.send_async([{"name": "bench/go", "data": {}}])
        [run] = await lab.wait(event_id)
        first_step.append((float(run.output) - sent) * 1000)
        # each step returns the wall time it ran at: the gaps are the engine's whole per-step cost
        stamps = [float(run.steps[sid]["data"]) for sid in run.stack]
        gaps.extend((b - a) * 1000 for a, b in itertools.pairwise(stamps))
    seq_p50 = statistics.median(gaps) if gaps else 0.0
    log(
        f"embedded  sequential: {runs_seq} runs, inter-step p50 {seq_p50:.2f} ms, "
        f"event->first step p50 {statistics.median(first_step):.2f} ms"
    )
    # 50 at a time
    t0 = time.perf_counter()
    ids = await lab.send_async([{"name": "bench/go", "data": {"i": i}} for i in range(runs_par)])
    for event_id in ids:
        await lab.wait(event_id, timeout=300)
    elapsed = time.perf_counter() - t0
    rate = runs_par * STEPS / elapsed
    log(f"embedded  {runs_par} at a time: {rate:,.0f} steps/s ({elapsed:.2f} s)")
    await lab.close()
    return {
        "embedded_steps_per_s": rate,
        "embedded_inter_step_p50_ms": seq_p50,
        "embedded_event_to_first_step_p50_ms": statistics.median(first_step),
    }


# ---------------------------------------------------------------- http


@contextlib.contextmanager
def process(args: list[str], env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(
        args, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()


async def wait_http(session: aiohttp.ClientSession, url: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(aiohttp.ClientError):
            async with session.get(url) as resp:
                if resp.status < 500:
                    return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"{url} did not come up")


@contextlib.asynccontextmanager
async def dev_server(
    tmp: Path, app_url: str | None, port: int | None = None
) -> AsyncIterator[tuple[str, subprocess.Popen[bytes]]]:
    port = port or free_port()
    args = [
        sys.executable,
        "-m",
        "inngest_lab.cli",
        "dev",
        "--port",
        str(port),
        "--sqlite-dir",
        str(tmp),
        "--no-discovery",
        "--no-poll",
    ]
    if app_url:
        args += ["-u", app_url]
    with process(args) as proc:
        base = f"http://127.0.0.1:{port}"
        async with aiohttp.ClientSession() as s:
            await wait_http(s, base + "/health")
        yield base, proc


async def runs_of(session: aiohttp.ClientSession, base: str, event_id: str) -> list[dict[str, Any]]:
    async with session.get(f"{base}/v1/events/{event_id}/runs") as resp:
        return list((await resp.json())["data"])


async def wait_done(
    session: aiohttp.ClientSession, base: str, event_ids: list[str], timeout: float = 300
) -> list[dict[str, Any]]:
    """Poll the REST API until every event's run ended (benchmark harness only; 20 ms period).

    One request at a time, for the oldest run not known to have ended: runs progress together, so this
    finds them all about as soon as a sweep would, without the harness loading the server it measures.
    """
    deadline = time.monotonic() + timeout
    done: list[dict[str, Any]] = []
    while len(done) < len(event_ids):
        runs = await runs_of(session, base, event_ids[len(done)])
        if runs and runs[0]["status"] in ("Completed", "Failed", "Cancelled"):
            done.append(runs[0])
            continue
        if time.monotonic() > deadline:
            raise TimeoutError("runs did not finish")
        await asyncio.sleep(0.02)
    return done


async def send(session: aiohttp.ClientSession, base: str, events: list[dict[str, Any]]) -> list[str]:
    async with session.post(f"{base}/e/bench-key", json=events) as resp:
        body = await resp.json()
        assert body["status"] == 200, body
        return list(body["ids"])


async def http_mode(runs_par: int, official: bool, tmp: Path) -> dict[str, float]:
    app_port = free_port()
    app_url = f"http://127.0.0.1:{app_port}/api/inngest"
    app_args = [sys.executable, str(ROOT / "benchmarks" / "bench_app.py"), "--port", str(app_port)]
    if official:
        app_args.append("--official")
    server_port = free_port()
    # The SDK finds the server through INNGEST_DEV, exactly as with Inngest's own dev server.
    with process(app_args, {"INNGEST_DEV": f"http://127.0.0.1:{server_port}"}) as app:
        async with aiohttp.ClientSession() as s:
            await wait_http(s, app_url)
        async with dev_server(tmp, app_url, server_port) as (base, server), aiohttp.ClientSession() as s:
            # the server syncs the app at start-up; wait until the function is there
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                async with s.get(f"{base}/dev") as resp:
                    info = await resp.json()
                if info.get("functions"):
                    break
                await asyncio.sleep(0.1)
            latencies: list[float] = []
            for _ in range(10):
                sent = time.time()
                [eid] = await send(s, base, [{"name": "bench/go", "data": {}}])
                [run] = await wait_done(s, base, [eid])
                latencies.append((float(run["output"]) - sent) * 1000)
            cpu0 = (cpu_s(server.pid), cpu_s(app.pid))
            t0 = time.perf_counter()
            ids = await send(s, base, [{"name": "bench/go", "data": {"i": i}} for i in range(runs_par)])
            await wait_done(s, base, ids)
            elapsed = time.perf_counter() - t0
            cpu1 = (cpu_s(server.pid), cpu_s(app.pid))
    rate = runs_par * STEPS / elapsed
    # CPU time per step of each process: what the figure would be on an otherwise idle machine depends on these,
    # not on the other work a shared machine runs at the same time.
    server_ms, sdk_ms = ((after - before) * 1000 / (runs_par * STEPS) for before, after in zip(cpu0, cpu1, strict=True))
    who = "official SDK" if official else "our SDK"
    log(
        f"http ({who}) {runs_par} at a time: {rate:,.0f} steps/s; event->first step p50 "
        f"{statistics.median(latencies):.2f} ms; CPU per step: server {server_ms:.2f} ms, SDK app {sdk_ms:.2f} ms"
    )
    prefix = "http_official" if official else "http"
    return {
        f"{prefix}_steps_per_s": rate,
        "event_to_first_step_p50_ms": statistics.median(latencies),
        f"{prefix}_server_cpu_ms_per_step": server_ms,
        f"{prefix}_sdk_cpu_ms_per_step": sdk_ms,
    }


def cpu_s(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux ``/proc``; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def ingest(batches: int, singles: int, tmp: Path) -> dict[str, float]:
    async with dev_server(tmp, None) as (base, _):
        conn = aiohttp.TCPConnector(limit=64)
        async with aiohttp.ClientSession(connector=conn) as s:
            batch = [{"name": "bench/ingest", "data": {"i": i, "pad": "x" * 64}} for i in range(100)]

            async def worker(n: int, events: list[dict[str, Any]]) -> None:
                for _ in range(n):
                    await send(s, base, events)

            conc = 16
            t0 = time.perf_counter()
            await asyncio.gather(*(worker(batches // conc, batch) for _ in range(conc)))
            ev_rate = (batches // conc) * conc * 100 / (time.perf_counter() - t0)
            t0 = time.perf_counter()
            await asyncio.gather(*(worker(singles // conc, batch[:1]) for _ in range(conc)))
            req_rate = (singles // conc) * conc / (time.perf_counter() - t0)
    log(f"ingest: {ev_rate:,.0f} events/s in arrays of 100; {req_rate:,.0f} requests/s with one event each")
    return {"ingest_events_per_s": ev_rate, "ingest_requests_per_s": req_rate}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller counts; finishes in under 30 s")
    parser.add_argument("--official", action="store_true", help="also measure HTTP mode with the official SDK")
    parser.add_argument(
        "--only",
        choices=["embedded", "http", "official", "ingest"],
        help="measure one part only (official: HTTP mode with the official Python SDK serving the function)",
    )
    args = parser.parse_args()
    parts = {args.only} if args.only else {"embedded", "http", "ingest"} | ({"official"} if args.official else set())
    seq, par = (20, 50) if args.quick else (100, 50)
    par_rounds = 1 if args.quick else 4
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        if "embedded" in parts:
            results.update(await embedded(seq, par * par_rounds, tmp / "embedded.db"))
        if "http" in parts:
            results.update(await http_mode(par * par_rounds, False, tmp / "http"))
        if "official" in parts:
            results.update(await http_mode(par * par_rounds, True, tmp / "official"))
        if "ingest" in parts:
            results.update(await ingest(100 if args.quick else 400, 1000 if args.quick else 4000, tmp / "ingest"))
    print(json.dumps({k: round(v, 2) for k, v in results.items()}))


if __name__ == "__main__":
    asyncio.run(main())
