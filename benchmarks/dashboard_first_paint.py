"""The dashboard's first paint on the runs page with 100,000 runs stored, and the size of its JavaScript.

    python benchmarks/dashboard_first_paint.py [--runs 100000] [--loads 5]

Seeds ``--runs`` completed runs (one event each, spread over the last 30 days) into a fresh SQLite file through
the store's own ``apply``, starts ``inngest-lab dev`` on it, and opens ``/runs`` in Debian's Chromium
``--loads`` times (a fresh browser context each time, so nothing is cached). For each load it reads, from the
browser's own clock (``performance.now()`` since navigation start): first contentful paint, and the moment the
first page of runs is in the table. It also times ``GET /lab/runs/page`` (the request behind that table) and
the server process's CPU time per request. The gzipped size of the JavaScript in ``inngest_lab/ui_build/`` is
printed too (budget 300 KB): all of it, and the part the runs page loads (CodeMirror loads with the first modal).

The last line on stdout is one JSON object with the figures (medians).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.dashboard.first_paint import runs_page_paint, seed  # noqa: E402
from tests.services import free_port  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args()

    build = ROOT / "inngest_lab" / "ui_build"
    entry_gzip_kb = len(gzip.compress((build / "dashboard.js").read_bytes(), 9)) / 1024
    js_gzip_kb = sum(len(gzip.compress(f.read_bytes(), 9)) for f in build.glob("*.js")) / 1024
    print(
        f"JavaScript gzipped: {js_gzip_kb:.1f} KB in all, {entry_gzip_kb:.1f} KB loaded by the runs page",
        file=sys.stderr,
    )

    with tempfile.TemporaryDirectory(prefix="dash-bench-") as work:
        took = asyncio.run(seed(str(Path(work) / "main.db"), args.runs))
        print(f"seeded {args.runs} runs in {took:.1f} s", file=sys.stderr)
        port = free_port()
        code = "import sys; from inngest_lab.cli import main; sys.exit(main(sys.argv[1:]))"
        argv = ["dev", "--port", str(port), "--no-discovery", "--sqlite-dir", work, "--poll-interval", "0"]
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        server = subprocess.Popen([sys.executable, "-c", code, *argv], env=env, stdout=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"{url}/health", timeout=1).close()  # noqa: S310 - loopback
                    break
                except OSError:
                    time.sleep(0.05)
            api_ms = []
            calls = 50
            cpu0 = cpu_seconds(server.pid)  # over all calls: /proc counts CPU in 10 ms ticks
            for _ in range(calls):
                t0 = time.perf_counter()
                urllib.request.urlopen(f"{url}/lab/runs/page?limit=50", timeout=10).read()  # noqa: S310 - loopback
                api_ms.append((time.perf_counter() - t0) * 1000)
            api_cpu_ms = (cpu_seconds(server.pid) - cpu0) * 1000 / calls
            fcp, rows_at, load_cpu = browser_loads(url, args.loads, server.pid)
        finally:
            server.terminate()
            server.wait(10)
    result = {
        "runs": args.runs,
        "first_contentful_paint_ms": round(statistics.median(fcp), 1),
        "runs_table_painted_ms": round(statistics.median(rows_at), 1),
        "server_cpu_ms_per_page_load": round(statistics.median(load_cpu), 1),
        "runs_page_api_ms": round(statistics.median(api_ms), 2),
        "runs_page_api_server_cpu_ms": round(api_cpu_ms, 2),
        "js_gzip_kb_total": round(js_gzip_kb, 1),
        "js_gzip_kb_runs_page": round(entry_gzip_kb, 1),
    }
    print(
        f"runs page with {args.runs} runs: first contentful paint {result['first_contentful_paint_ms']} ms, "
        f"table of runs painted at {result['runs_table_painted_ms']} ms (median of {args.loads} cold loads; "
        f"server CPU {result['server_cpu_ms_per_page_load']} ms per load); GET /lab/runs/page "
        f"{result['runs_page_api_ms']} ms wall, {result['runs_page_api_server_cpu_ms']} ms server CPU",
        file=sys.stderr,
    )
    print(json.dumps(result))


def browser_loads(url: str, loads: int, server_pid: int) -> tuple[list[float], list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    fcp: list[float] = []
    rows_at: list[float] = []
    cpu: list[float] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        for _ in range(loads):
            ctx = browser.new_context(viewport={"width": 1440, "height": 900})
            page = ctx.new_page()
            cpu0 = cpu_seconds(server_pid)
            paint = runs_page_paint(page, url)
            cpu.append((cpu_seconds(server_pid) - cpu0) * 1000)
            fcp.append(paint.first_contentful_paint_ms)
            rows_at.append(paint.runs_table_ms)
            ctx.close()
        browser.close()
    return fcp, rows_at, cpu


if __name__ == "__main__":
    main()
