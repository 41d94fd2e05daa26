"""An embedded engine with a fake clock on a given SQLite file, driven over stdin: the engine processes of
``test_one_process_per_sqlite_file.py``.

argv: <db path> <start ms> <log path>. Prints ``ready`` once its cron function is served. Then, per stdin line:
``at <ms>`` sets its clock to that instant, waits until the engine is idle and prints ``ok``; ``quit`` stops.
Each run of the cron function appends ``<scheduledAt>`` to the log file.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import inngest_lab as inngest
from inngest_lab.executor.clock import FakeClock


def append(log: Path, text: str) -> None:
    with log.open("a", encoding="utf-8") as out:
        out.write(f"{text}\n")


async def main() -> None:
    path, start_ms, log = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    clock = FakeClock(start_ms)
    lab = inngest.Lab(path, clock=clock)
    await lab.start()
    client = inngest.Inngest(app_id="app", is_production=False)

    @client.create_function(fn_id="tick", trigger=inngest.TriggerCron(cron="*/10 * * * *"))
    async def tick(ctx: inngest.Context) -> str:
        append(log, str(ctx.event.data["scheduledAt"]))
        return "ok"

    lab.serve(client, [tick])
    await lab.idle()
    print("ready", flush=True)
    loop = asyncio.get_running_loop()
    while True:
        command = (await loop.run_in_executor(None, sys.stdin.readline)).split()
        if not command or command[0] == "quit":
            break
        clock.set(int(command[1]))
        await lab.idle()
        print("ok", flush=True)
    await lab.close()


asyncio.run(main())
