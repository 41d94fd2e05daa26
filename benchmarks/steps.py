"""Step throughput and latency, embedded and over HTTP, plus Event API ingest rates.

    python benchmarks/steps.py [--quick] [--official] [--only embedded|http|official|ingest]
    python benchmarks/steps.py --only sdk-fast-path|ts-checkpoint   (checkpointing on vs off: checkpoint_bench.py)
    python benchmarks/steps.py --scale-out [--quick] [--postgres-uri URI --redis-uri URI] [--no-dbos]

* embedded: Lab on a SQLite file, in-process driver, a 10-step async function;
  runs one at a time (inter-step latency) and 50 at a time (steps/s).
* http: ``inngest-lab dev`` in one process, the same function served by our SDK on Tornado in another
  (``--official``: served by the official ``inngest`` SDK), 50 runs at a time.
* ingest: ``POST /e`` with arrays of 100 events, and with one event per request.

Production mode (Postgres + Redis; ``--scale-out``, or ``--production`` with ``--only``):

* scale-out: the embedded 10-step workload (in-process functions) on ``Lab(postgres_uri=, redis_uri=)`` in
  1 and then 2 engine *processes* on the same URIs, the events split between them; steps/s of each side by
  side, the ratio, and each process's CPU time per step (plus Redis's and Postgres's when we run them).
* http-prod: one ``inngest-lab start`` process on Postgres + Redis, our SDK's app over HTTP, 200 runs sent at
  once and 50 run at a time (``--in-flight``).
* dbos: DBOS Transact on the same Postgres with the same 10-step workload (``benchmarks/dbos_steps.py`` run by
  the interpreter of ``benchmarks/.venv-dbos``, or ``--dbos-python``), next to our embedded figure.

Without ``--postgres-uri``/``--redis-uri`` the benchmark starts throwaway ``redis-server`` and Postgres servers
(``tests/services.py``) and gives every measurement a fresh database. With them, it uses the given servers
as they are (data accumulates; fresh Redis logical databases are not taken from a server it does not own).

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
import threading
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
from cpu_limit import CpuLimitUnavailable, cpu_limited

import inngest_lab as inngest

ROOT = Path(__file__).resolve().parent.parent
STEPS = 10
CHECKPOINT_PARTS = ("sdk-fast-path", "ts-checkpoint")


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


async def embedded(runs_seq: int, runs_par: int, db: Path, telemetry: str = "off") -> dict[str, float]:
    lab = inngest.Lab(db)  # with OTEL_EXPORTER_OTLP_ENDPOINT set (--telemetry tracing) a Lab traces by itself
    if telemetry == "metrics":  # what `inngest-lab start` adds: Prometheus metrics (and traces when OTEL_* say so)
        from inngest_lab.observability.setup import build_telemetry

        lab.engine.telemetry = build_telemetry()
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
    t0, cpu0 = time.perf_counter(), time.process_time()  # process time: every thread (the exporter's too)
    engine0, export0 = time.thread_time(), export_thread_cpu_s()  # the engine's event loop runs on this thread
    ids = await lab.send_async([{"name": "bench/go", "data": {"i": i}} for i in range(runs_par)])
    for event_id in ids:
        await lab.wait(event_id, timeout=300)
    elapsed = time.perf_counter() - t0
    export_ms = (export_thread_cpu_s() - export0) * 1000 / (runs_par * STEPS)  # before close ends the thread
    if lab.engine.telemetry is not None:
        await lab.engine.telemetry.close()  # the exporter's flush is part of the cost
    cpu_ms = (time.process_time() - cpu0) * 1000 / (runs_par * STEPS)
    engine_ms = (time.thread_time() - engine0) * 1000 / (runs_par * STEPS)
    rate = runs_par * STEPS / elapsed
    log(f"embedded  {runs_par} at a time: {rate:,.0f} steps/s ({elapsed:.2f} s), CPU {cpu_ms:.3f} ms/step")
    await lab.close()
    return {
        "embedded_steps_per_s": rate,
        "embedded_cpu_ms_per_step": cpu_ms,
        "embedded_engine_thread_cpu_ms_per_step": engine_ms,
        "embedded_export_thread_cpu_ms_per_step": export_ms,
        "embedded_inter_step_p50_ms": seq_p50,
        "embedded_event_to_first_step_p50_ms": statistics.median(first_step),
    }


def export_thread_cpu_s() -> float:
    """CPU seconds used so far by the trace exporter's threads (the SDK's ``BatchSpanProcessor`` names them)."""
    return sum(
        time.clock_gettime(time.pthread_getcpuclockid(t.ident))
        for t in threading.enumerate()
        if t.name.startswith("OtelBatchSpan") and t.ident is not None and t.is_alive()
    )


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


async def wait_synced(
    session: aiohttp.ClientSession, base: str, marker: str, *, prod: bool = False, timeout: float = 30.0
) -> None:
    """Until the server at ``base`` lists ``marker`` (a function id) as synced: its ``/dev`` page, or on ``start``
    (``prod``) ``/lab/functions``, which wants the session's Bearer key."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        async with session.get(f"{base}/lab/functions" if prod else f"{base}/dev") as resp:
            if marker in await resp.text():
                return
        await asyncio.sleep(0.1)
    raise TimeoutError(f"the server at {base} did not sync {marker}")


EVENT_KEY = "bench-key"
HTTP_PROD_IN_FLIGHT = 50
"""``start`` runs this many at a time in http-prod: the load issue 9's 1,000 steps/s target names."""
SIGNING_KEY = "signkey-prod-" + "ab" * 32
"""``inngest-lab start`` (production mode) requires keys; these are the benchmark's own."""


@contextlib.asynccontextmanager
async def dev_server(
    tmp: Path,
    app_url: str | None,
    port: int | None = None,
    prod: tuple[str, str] | None = None,
    in_flight: int | None = None,
) -> AsyncIterator[tuple[str, subprocess.Popen[bytes]]]:
    """``inngest-lab dev`` on SQLite in ``tmp``; with ``prod`` (Postgres URI, Redis URI): ``inngest-lab start``
    on them, with the benchmark's keys. ``in_flight``: its ``--queue-workers`` (runs executed at a time)."""
    port = port or free_port()
    args = [sys.executable, "-m", "inngest_lab.cli"]
    if prod is None:
        args += ["dev", "--port", str(port), "--sqlite-dir", str(tmp), "--no-discovery", "--no-poll"]
    else:
        args += ["start", "--port", str(port), "--postgres-uri", prod[0], "--redis-uri", prod[1], "--no-poll"]
        args += ["--event-key", EVENT_KEY, "--signing-key", SIGNING_KEY]
    if app_url:
        args += ["-u", app_url]
    if in_flight:
        args += ["--queue-workers", str(in_flight)]
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
            raise TimeoutError(
                f"runs did not finish: {len(done)} of {len(event_ids)} ended; "
                f"event {event_ids[len(done)]}'s runs: {runs}"
            )
        await asyncio.sleep(0.02)
    return done


async def send(session: aiohttp.ClientSession, base: str, events: list[dict[str, Any]]) -> list[str]:
    async with session.post(f"{base}/e/{EVENT_KEY}", json=events) as resp:
        body = await resp.json()
        assert body["status"] == 200, body
        return list(body["ids"])


async def http_mode(
    runs_par: int, official: bool, tmp: Path, prod: tuple[str, str] | None = None, in_flight: int | None = None
) -> dict[str, float]:
    """Our SDK's app (or the official SDK's) in one process, the server in another: ``inngest-lab dev`` on SQLite,
    or with ``prod`` ``inngest-lab start`` on Postgres + Redis. ``runs_par`` events are sent at once; the server
    runs ``in_flight`` of them at a time (its default, 100, when None)."""
    app_port = free_port()
    app_url = f"http://127.0.0.1:{app_port}/api/inngest"
    app_args = [sys.executable, str(ROOT / "benchmarks" / "bench_app.py"), "--port", str(app_port)]
    if official:
        app_args.append("--official")
    server_port = free_port()
    # The SDK finds the server through INNGEST_DEV, exactly as with Inngest's own dev server; in production
    # mode through INNGEST_BASE_URL, with the signing key.
    server_url = f"http://127.0.0.1:{server_port}"
    app_env = {"INNGEST_DEV": server_url}
    if prod:
        app_env = {"INNGEST_BASE_URL": server_url, "INNGEST_SIGNING_KEY": SIGNING_KEY}
    with process(app_args, app_env) as app:
        async with aiohttp.ClientSession() as s:
            await wait_http(s, app_url)
        # start mode: the REST API wants the signing key as Bearer token
        headers = {"Authorization": f"Bearer {SIGNING_KEY}"} if prod else {}
        async with (
            dev_server(tmp, app_url, server_port, prod, in_flight) as (base, server),
            aiohttp.ClientSession(headers=headers) as s,
        ):
            await wait_synced(s, base, "ten-steps", prod=prod is not None, timeout=20)  # synced at start-up
            latencies: list[float] = []
            for _ in range(10):
                sent = time.time()
                [eid] = await send(s, base, [{"name": "bench/go", "data": {}}])
                [run] = await wait_done(s, base, [eid])
                latencies.append((float(run["output"]) - sent) * 1000)
            cpu0 = (cpu_s(server.pid), cpu_s(app.pid))
            t0 = time.perf_counter()
            ids = await send(s, base, [{"name": "bench/go", "data": {"i": i}} for i in range(runs_par)])
            finished = await wait_done(s, base, ids)
            elapsed = time.perf_counter() - t0
            cpu1 = (cpu_s(server.pid), cpu_s(app.pid))
    log(f"http: {stragglers(finished)}")
    rate = runs_par * STEPS / elapsed
    # CPU time per step of each process: what the figure would be on an otherwise idle machine depends on these,
    # not on the other work a shared machine runs at the same time.
    server_ms, sdk_ms = ((after - before) * 1000 / (runs_par * STEPS) for before, after in zip(cpu0, cpu1, strict=True))
    who = ("official SDK" if official else "our SDK") + (", start on Postgres + Redis" if prod else "")
    log(
        f"http ({who}) {runs_par} sent at once, {in_flight or 'the default'} at a time: {rate:,.0f} steps/s; "
        "event->first step p50 "
        f"{statistics.median(latencies):.2f} ms; CPU per step: server {server_ms:.2f} ms, SDK app {sdk_ms:.2f} ms; "
        f"load {load_avg()}"
    )
    prefix = ("prod_" if prod else "") + ("http_official" if official else "http")
    return {
        f"{prefix}_steps_per_s": rate,
        f"{prefix}_runs": float(runs_par),
        f"{prefix}_in_flight": float(in_flight or 0),
        ("prod_" if prod else "") + "event_to_first_step_p50_ms": statistics.median(latencies),
        f"{prefix}_server_cpu_ms_per_step": server_ms,
        f"{prefix}_sdk_cpu_ms_per_step": sdk_ms,
    }


def stragglers(runs: list[dict[str, Any]]) -> str:
    """Run durations (start to end) of a measurement: a run far slower than the rest waited on something (a lease
    expiring, a retry) that the throughput figure alone would hide."""
    spans = sorted(
        datetime.fromisoformat(r["ended_at"]).timestamp() - datetime.fromisoformat(r["run_started_at"]).timestamp()
        for r in runs
        if r.get("ended_at") and r.get("run_started_at")
    )
    if not spans:
        return "no run durations"
    slow = sum(1 for d in spans if d > 5 * spans[len(spans) // 2] + 1)
    return f"run durations p50 {spans[len(spans) // 2]:.2f} s, max {spans[-1]:.2f} s; {slow} far slower than the rest"


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


# ---------------------------------------------------------------- production: Postgres + Redis


class Backends:
    """Postgres + Redis for the production measurements: the URIs given, or throwaway servers of our own.

    With our own servers every measurement gets a fresh Postgres database and a fresh Redis logical database
    (``fresh()``), and the servers' CPU time can be read (``server_cpu()``)."""

    def __init__(self, tmp: Path, postgres_uri: str | None, redis_uri: str | None) -> None:
        if (postgres_uri is None) != (redis_uri is None):
            sys.exit("steps: --postgres-uri and --redis-uri go together")
        self.tmp = tmp
        self.given = (postgres_uri, redis_uri) if postgres_uri and redis_uri else None
        self.redis: Any = None
        self.postgres: Any = None
        self._n = 0

    def __enter__(self) -> Backends:
        if self.given is None:
            sys.path.insert(0, str(ROOT))
            from tests.services import PostgresServer, RedisServer

            self.redis = RedisServer(self.tmp).start()
            self.postgres = PostgresServer(self.tmp).start()
            log(f"throwaway servers: {self.postgres.uri()} and {self.redis.uri()}")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.redis is not None:
            self.redis.close()
        if self.postgres is not None:
            self.postgres.close()

    @property
    def where(self) -> str:
        return "given servers" if self.given else "throwaway servers"

    def fresh(self) -> tuple[str, str]:
        """URIs for one measurement: a new database on our own servers, else the given URIs as they are."""
        if self.given is not None:
            return self.given[0] or "", self.given[1] or ""
        self._n += 1
        postgres = self.postgres.create_database(f"bench_{self._n}")
        redis = self.redis.uri(self._n % 16)
        from tests.services import flush_redis_db

        flush_redis_db(redis)
        return postgres, redis

    def server_cpu(self) -> dict[str, float]:
        """CPU seconds used so far by our own Redis and Postgres (with its backends, live and exited)."""
        if self.given is not None:
            return {}
        out = {"redis": cpu_s(self.redis._proc.pid)}
        pid = self.postgres._postmaster_pid()
        if pid is not None:
            out["postgres"] = cpu_tree_s(pid)
        return out


def redis_calls(uri: str) -> dict[str, int]:
    """Redis's command counts so far (``INFO commandstats``): all commands, and script calls (EVALSHA/FCALL)."""
    import redis

    client = redis.Redis.from_url(uri)
    try:
        stats = client.info("commandstats")
    finally:
        client.close()
    total = sum(int(v["calls"]) for v in stats.values())
    scripts = sum(int(v["calls"]) for k, v in stats.items() if k.split("_", 1)[-1].startswith(("evalsha", "fcall")))
    return {"commands": total, "scripts": scripts}


def cpu_tree_s(pid: int) -> float:
    """CPU seconds of ``pid``, of its children that exited (``cutime``/``cstime``) and of its live children."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    total = sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            child = stat.read_text().rsplit(")", 1)[1].split()
            if int(child[1]) == pid:
                total += sum(int(f) for f in child[11:15]) / os.sysconf("SC_CLK_TCK")
    return total


def load_avg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


async def scale_worker(args: argparse.Namespace) -> None:
    """One engine process of the scale-out measurement (``--scale-out-worker``), driven over stdin/stdout:
    start and warm up, print ``ready``; on ``go`` send its share of the events and wait for their runs (any
    process may run them), print a JSON result; on ``stop`` close (it keeps running others' runs till then)."""
    loop = asyncio.get_running_loop()
    lab = inngest.Lab(postgres_uri=args.postgres_uri, redis_uri=args.redis_uri)
    await lab.start()
    client = inngest.Inngest(app_id="bench", is_production=False)
    lab.serve(client, [ten_step_function(client)])
    await lab.idle()
    warm = await lab.send_async([{"name": "bench/go", "data": {"warm": args.tag, "i": i}} for i in range(10)])
    for event_id in warm:
        await lab.wait(event_id, timeout=120)
    # Runs are counted from the change feed, which carries every process's commits: ``lab.wait(event_id)`` per
    # event would also measure its read of Postgres (``list_runs`` waits for the outbox to reach Postgres first).
    ended: dict[str, str] = {}  # event id -> status of the run it started
    mine: set[str] = set()
    all_ended = asyncio.Event()

    def on_commit(commands: Any) -> None:
        for c in commands:
            run = getattr(c, "run", None)
            if type(c).__name__ == "SaveRun" and run is not None and run.status.is_terminal:
                for event_id in run.event_ids:
                    ended[event_id] = run.status.value
        if mine and mine.issubset(ended):
            all_ended.set()

    lab.engine.store.subscribe_changes(on_commit)
    print("ready", flush=True)
    await loop.run_in_executor(None, sys.stdin.readline)
    t0 = time.perf_counter()
    ids = await lab.send_async([{"name": "bench/go", "data": {"w": args.tag, "i": i}} for i in range(args.runs)])
    mine.update(ids)
    on_commit(())
    await asyncio.wait_for(all_ended.wait(), 600)
    elapsed = time.perf_counter() - t0
    statuses: dict[str, int] = {}
    for event_id in ids:
        statuses[ended[event_id]] = statuses.get(ended[event_id], 0) + 1
    store = lab.engine.store
    print(
        json.dumps(
            {
                "elapsed": elapsed,
                "statuses": statuses,
                "conflicts": getattr(store, "conflicts", 0),
                "duplicate_steps": getattr(store, "duplicate_steps", 0),
            }
        ),
        flush=True,
    )
    await loop.run_in_executor(None, sys.stdin.readline)
    await lab.close()


def scale_side(backends: Backends, procs: int, runs: int, cpu_limit: float | None = None) -> dict[str, Any]:
    """``procs`` embedded engine processes on fresh URIs, ``runs`` runs split between them; steps/s from the go
    signal until every process saw all its runs end. ``cpu_limit``: each process's CPU budget, in cores
    (``cpu_limit.py``)."""
    postgres, redis = backends.fresh()
    children = []
    for i in range(procs):
        share = runs // procs + (1 if i < runs % procs else 0)
        argv = [sys.executable, __file__, "--scale-out-worker", "--postgres-uri", postgres, "--redis-uri", redis]
        argv += ["--runs", str(share), "--tag", str(i)]
        children.append(subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
    limit = cpu_limited([c.pid for c in children], cpu_limit) if cpu_limit else contextlib.nullcontext()
    try:
        limit.__enter__()
        for child in children:
            assert child.stdout is not None
            line = child.stdout.readline().strip()
            if line != "ready":
                raise RuntimeError(f"scale-out worker {child.pid} did not start (said {line!r})")
        cpu0 = [cpu_s(c.pid) for c in children]
        servers0 = backends.server_cpu()
        calls0 = redis_calls(redis)
        t0 = time.perf_counter()
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        results = []
        for child in children:
            assert child.stdout is not None
            results.append(json.loads(child.stdout.readline()))
        elapsed = time.perf_counter() - t0
        cpu1 = [cpu_s(c.pid) for c in children]
        servers1 = backends.server_cpu()
        calls1 = redis_calls(redis)
        load = load_avg()
        for child in children:
            assert child.stdin is not None
            child.stdin.write("stop\n")
            child.stdin.flush()
        for child in children:
            child.wait(30)
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
        limit.__exit__(None, None, None)
    steps = runs * STEPS
    completed = sum(r["statuses"].get("Completed", 0) for r in results)
    return {
        "procs": procs,
        "steps_per_s": steps / elapsed,
        "elapsed_s": elapsed,
        "completed": completed,
        "runs": runs,
        "cpu_ms_per_step": [(b - a) * 1000 / steps for a, b in zip(cpu0, cpu1, strict=True)],
        "server_cpu_ms_per_step": {k: (servers1[k] - servers0[k]) * 1000 / steps for k in servers1},
        "redis_calls_per_step": {k: (calls1[k] - calls0[k]) / steps for k in calls1},
        "conflicts": sum(r["conflicts"] for r in results),
        "duplicate_steps": sum(r["duplicate_steps"] for r in results),
        "load": load,
    }


def scale_out(backends: Backends, runs: int, repeat: int = 1, cpu_limit: float | None = None) -> dict[str, float]:
    """1 then 2 processes, ``repeat`` times alternating (a shared machine's load drifts: alternating spreads it over
    both sides); the figures are the medians of each side."""
    by_procs: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
    for round_ in range(repeat):
        for procs in (1, 2):
            side = scale_side(backends, procs, runs, cpu_limit)
            log(
                f"scale-out round {round_ + 1}/{repeat}, {procs} process(es): {side['steps_per_s']:,.0f} steps/s "
                f"({side['elapsed_s']:.2f} s, {side['completed']}/{side['runs']} completed), "
                f"engine CPU ms/step {' '.join(f'{x:.2f}' for x in side['cpu_ms_per_step'])}, load {side['load']}"
            )
            by_procs[procs].append(side)

    def median_side(sides: list[dict[str, Any]]) -> dict[str, Any]:
        return sorted(sides, key=lambda side: side["steps_per_s"])[len(sides) // 2]

    one, two = median_side(by_procs[1]), median_side(by_procs[2])
    ratio = two["steps_per_s"] / one["steps_per_s"]
    rows = [
        ("steps/s (median)", f"{one['steps_per_s']:,.0f}", f"{two['steps_per_s']:,.0f}"),
        (
            "steps/s (every round)",
            " ".join(f"{x['steps_per_s']:,.0f}" for x in by_procs[1]),
            " ".join(f"{x['steps_per_s']:,.0f}" for x in by_procs[2]),
        ),
        ("runs completed (median round)", f"{one['completed']}/{one['runs']}", f"{two['completed']}/{two['runs']}"),
        (
            "engine CPU ms/step (each process)",
            " ".join(f"{x:.2f}" for x in one["cpu_ms_per_step"]),
            " ".join(f"{x:.2f}" for x in two["cpu_ms_per_step"]),
        ),
    ]
    for server in one["server_cpu_ms_per_step"]:
        rows.append(
            (
                f"{server} CPU ms/step",
                f"{one['server_cpu_ms_per_step'][server]:.2f}",
                f"{two['server_cpu_ms_per_step'][server]:.2f}",
            )
        )
    for kind in ("commands", "scripts"):
        rows.append(
            (
                f"Redis {kind} per step (INFO commandstats)",
                f"{one['redis_calls_per_step'][kind]:.1f}",
                f"{two['redis_calls_per_step'][kind]:.1f}",
            )
        )
    rows.append(
        (
            "CAS conflicts / duplicate steps",
            f"{one['conflicts']}/{one['duplicate_steps']}",
            f"{two['conflicts']}/{two['duplicate_steps']}",
        )
    )
    rows.append(("load average (1, 5, 15 min)", one["load"], two["load"]))
    table(
        f"scale-out: embedded 10-step workload on Postgres + Redis ({backends.where}), {runs} runs sent at once, "
        f"median of {repeat}",
        ("", "1 process", "2 processes"),
        rows,
    )
    verdict = "meets" if ratio >= 1.5 else "BELOW"
    log(f"2 processes / 1 process = {ratio:.2f}x ({verdict} the 1.5x target)")
    out = {
        "prod_embedded_1proc_steps_per_s": one["steps_per_s"],
        "prod_embedded_2proc_steps_per_s": two["steps_per_s"],
        "prod_scale_out_ratio": ratio,
        "prod_embedded_1proc_cpu_ms_per_step": one["cpu_ms_per_step"][0],
    }
    for i, x in enumerate(two["cpu_ms_per_step"]):
        out[f"prod_embedded_2proc_p{i}_cpu_ms_per_step"] = x
    return out


def table(title: str, header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    log("")
    log(title)
    line = "  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths, strict=True)))
    log(line)
    log("-" * len(line))
    for row in rows:
        log("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))))
    log("")


def dbos_python(args: argparse.Namespace) -> Path | None:
    found = Path(args.dbos_python) if args.dbos_python else ROOT / "benchmarks" / ".venv-dbos" / "bin" / "python"
    return found if found.exists() else None


def dbos(backends: Backends, runs: int, python: Path) -> dict[str, float]:
    """DBOS Transact's figure for the same workload on the same Postgres server (a fresh database)."""
    postgres, _ = backends.fresh()
    argv = [str(python), str(ROOT / "benchmarks" / "dbos_steps.py"), "--postgres-uri", postgres, "--runs", str(runs)]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=False)
    if out.returncode != 0:
        log(f"dbos: failed ({out.returncode}):\n{out.stderr[-2000:]}")
        return {}
    result = json.loads(out.stdout.strip().splitlines()[-1])
    log(f"dbos {result['dbos_version']}: {result['dbos_steps_per_s']:,.0f} steps/s, load {load_avg()}")
    return {k: v for k, v in result.items() if isinstance(v, float)}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller counts; finishes in under 30 s")
    parser.add_argument(
        "--telemetry",
        choices=["off", "metrics", "tracing", "compare", "spans"],
        default="off",
        help="off: a bare Lab; metrics: the server's Prometheus metrics on the embedded engine too; tracing: every "
        "run's trace exported to a local OTLP/HTTP collector (benchmarks/otlp_sink.py) through "
        "OTEL_EXPORTER_OTLP_ENDPOINT, by the embedded Lab and by the HTTP mode's server; compare: tracing off and on "
        "in interleaved rounds (--repeat rounds, default 6; --runs per round, default 400 embedded, 200 with "
        "--only http), CPU per step and steps/s of each and the paired cost (benchmarks/tracing_bench.py); spans: "
        "tracing's own CPU per step in isolation (a 10-step run's call spans and run span, built, encoded and "
        "handed to a client that sends nothing)",
    )
    parser.add_argument("--official", action="store_true", help="also measure HTTP mode with the official SDK")
    parser.add_argument(
        "--only",
        choices=["embedded", "http", "official", "ingest", "scale-out", "http-prod", "dbos", *CHECKPOINT_PARTS],
        help="measure one part only (official: HTTP mode with the official Python SDK serving the function; "
        "scale-out, http-prod, dbos: the production parts, see --scale-out)",
    )
    parser.add_argument(
        "--scale-out",
        action="store_true",
        help="production mode: 1 then 2 embedded engine processes on Postgres + Redis, one `inngest-lab start` "
        "over HTTP, and DBOS Transact on the same Postgres",
    )
    parser.add_argument("--production", action="store_true", help="the production parts (same as --scale-out)")
    parser.add_argument("--postgres-uri", default=None, help="Postgres for the production parts (with --redis-uri)")
    parser.add_argument("--redis-uri", default=None, help="Redis for the production parts (with --postgres-uri)")
    parser.add_argument("--runs", type=int, default=None, help="runs per production measurement")
    parser.add_argument(
        "--cpu-limit",
        type=float,
        default=None,
        metavar="CORES",
        help="scale-out: give each engine process a CPU budget of its own (cgroups, root), as the reference "
        "deployment's INNGEST_CPU_LIMIT gives each replica; on 2 cores an unlimited single engine fills the machine",
    )
    parser.add_argument(
        "--in-flight",
        type=int,
        default=None,
        help=f"runs the server executes at a time in the HTTP modes (its --queue-workers; default "
        f"{HTTP_PROD_IN_FLIGHT} for http-prod, as issue 9 states its target, and the server's default for http)",
    )
    parser.add_argument(
        "--repeat", type=int, default=None, help="scale-out rounds, 1 and 2 processes alternating (default 3; quick 1)"
    )
    parser.add_argument("--no-dbos", action="store_true", help="skip DBOS Transact in the production parts")
    parser.add_argument(
        "--dbos-python", default=None, help="interpreter with dbos installed (default benchmarks/.venv-dbos)"
    )
    parser.add_argument("--scale-out-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tag", default="0", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scale_out_worker:
        await scale_worker(args)
        return
    production = {"scale-out", "http-prod", "dbos"}
    prod_mode = args.scale_out or args.production or bool(args.postgres_uri) or (args.only in production)
    if args.only:
        parts = {args.only}
    elif prod_mode:
        parts = production - ({"dbos"} if args.no_dbos else set())
    else:
        parts = {"embedded", "http", "ingest"} | ({"official"} if args.official else set())
    seq, par = (20, 50) if args.quick else (100, 50)
    par_rounds = 1 if args.quick else 4
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp_s, contextlib.ExitStack() as sink:
        tmp = Path(tmp_s)
        if args.telemetry == "spans":
            import tracing_bench  # imports this module: loaded only when asked for

            results.update(tracing_bench.tracing_cost_in_isolation(args.runs or 2000, args.repeat or 5))
            parts = set()
        if args.telemetry == "compare":
            import tracing_bench

            sink_port = free_port()
            sink.enter_context(process([sys.executable, str(ROOT / "benchmarks" / "otlp_sink.py"), str(sink_port)]))
            endpoint, rounds = f"http://127.0.0.1:{sink_port}", args.repeat or 6
            if args.only == "http":
                results.update(await tracing_bench.compare_http(endpoint, rounds, args.runs or 200, tmp))
            else:
                results.update(await tracing_bench.compare_embedded(endpoint, rounds, args.runs or 400, tmp))
            parts = set()
        if args.telemetry == "tracing":
            sink_port = free_port()
            sink.enter_context(process([sys.executable, str(ROOT / "benchmarks" / "otlp_sink.py"), str(sink_port)]))
            os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"] = f"http://127.0.0.1:{sink_port}"  # servers inherit it
            log(f"tracing: exporting to the local collector on port {sink_port}")
        if "embedded" in parts:
            results.update(await embedded(seq, par * par_rounds, tmp / "embedded.db", args.telemetry))
        if "http" in parts:
            results.update(await http_mode(par * par_rounds, False, tmp / "http", in_flight=args.in_flight))
        if "official" in parts:
            results.update(await http_mode(par * par_rounds, True, tmp / "official"))
        if parts & set(CHECKPOINT_PARTS):
            import checkpoint_bench  # imports this module: loaded only when asked for

            part = checkpoint_bench.sdk_fast_path if "sdk-fast-path" in parts else checkpoint_bench.ts_checkpoint
            results.update(await part(args.runs or par * par_rounds, tmp))
        if "ingest" in parts:
            results.update(await ingest(100 if args.quick else 400, 1000 if args.quick else 4000, tmp / "ingest"))
        if parts & production:
            runs = args.runs or (200 if args.quick else 400)
            log(f"production parts, {runs} runs each; load average {load_avg()}")
            with Backends(tmp, args.postgres_uri, args.redis_uri) as backends:
                if "scale-out" in parts:
                    try:
                        results.update(
                            scale_out(backends, runs, args.repeat or (1 if args.quick else 3), args.cpu_limit)
                        )
                    except CpuLimitUnavailable as exc:
                        sys.exit(f"steps: --cpu-limit: {exc}")
                if "http-prod" in parts:
                    results.update(
                        await http_mode(
                            args.runs or par * par_rounds,
                            False,
                            tmp / "http-prod",
                            backends.fresh(),
                            args.in_flight or HTTP_PROD_IN_FLIGHT,
                        )
                    )
                if "dbos" in parts:
                    python = dbos_python(args)
                    if python is None:
                        log(
                            "dbos: skipped, no benchmarks/.venv-dbos (python3 -m venv benchmarks/.venv-dbos && "
                            "benchmarks/.venv-dbos/bin/pip install dbos) and no --dbos-python"
                        )
                    else:
                        results.update(dbos(backends, runs, python))
            production_table(results)
    print(json.dumps({k: round(v, 2) for k, v in results.items()}))


def production_table(results: dict[str, float]) -> None:
    rows = []
    one = results.get("prod_embedded_1proc_steps_per_s")
    two = results.get("prod_embedded_2proc_steps_per_s")
    http = results.get("prod_http_steps_per_s")
    dbos_rate = results.get("dbos_steps_per_s")
    if one and two:
        rows.append(("2 embedded processes / 1", f"{two:,.0f} / {one:,.0f}", f"{two / one:.2f}x", ">= 1.5x"))
    if http:
        sent, in_flight = int(results.get("prod_http_runs", 0)), int(results.get("prod_http_in_flight", 0))
        load = f"{sent} runs sent, {in_flight or 'default'} at a time"
        rows.append((f"start over HTTP, {load}", f"{http:,.0f} steps/s", "", ">= 1,000 steps/s"))
    if one and dbos_rate:
        rows.append(
            ("ours embedded (1 proc) / DBOS", f"{one:,.0f} / {dbos_rate:,.0f}", f"{one / dbos_rate:.2f}x", ">= 3x")
        )
    if rows:
        table(f"production targets (load average now {load_avg()})", ("figure", "steps/s", "ratio", "target"), rows)


if __name__ == "__main__":
    asyncio.run(main())
