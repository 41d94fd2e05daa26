# %% [markdown]
# # 5. An app on the official `inngest` SDK, served against inngest-lab
#
# inngest-lab speaks Inngest's wire protocol, so an app written with the official Python SDK
# (`pip install inngest`) runs against it unchanged. Here we start the headless dev server,
# serve an official-SDK app from this very kernel (Tornado shares the kernel's event loop),
# send an event, and look at the run.
#
# This notebook runs on the real clock: the server is a separate process. Its outputs that
# depend on ports and timings are not compared by the tests.

# %%
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


APP_PORT, DEV_PORT = free_port(), free_port()
DEV_URL = f"http://127.0.0.1:{DEV_PORT}"
APP_URL = f"http://127.0.0.1:{APP_PORT}/api/inngest"

# %% [markdown]
# ## The app, with the official SDK
#
# `INNGEST_DEV` points the SDK at our dev server, exactly as it would point at Inngest's.

# %%
os.environ["INNGEST_DEV"] = DEV_URL

import inngest
import inngest.tornado
import tornado.web

client = inngest.Inngest(app_id="official-demo")


@client.create_function(fn_id="enrich-lead", trigger=inngest.TriggerEvent(event="crm/lead.created"))
def enrich_lead(ctx: inngest.ContextSync) -> dict:
    company = ctx.step.run("lookup-company", lambda: {"domain": ctx.event.data["email"].split("@")[1]})
    score = ctx.step.run("score", lambda: 90 if company["domain"].endswith(".io") else 40)
    return {"company": company, "score": score}


app = tornado.web.Application()
inngest.tornado.serve(app, client, [enrich_lead])
server = app.listen(APP_PORT, address="127.0.0.1")

# %% [markdown]
# ## The dev server
#
# `inngest-lab dev -u <serve URL>` syncs the app at start-up. (From a terminal:
# `inngest-lab dev -u http://127.0.0.1:8000/api/inngest`.)

# %%
dev = subprocess.Popen(
    [sys.executable, "-m", "inngest_lab.cli", "dev", "--port", str(DEV_PORT), "-u", APP_URL,
     "--sqlite-dir", tempfile.mkdtemp(), "--no-discovery"],
    stdout=subprocess.DEVNULL,
    stderr=subprocess.DEVNULL,
)
for _ in range(300):  # wait until it answers and has synced the app
    try:
        if get(f"{DEV_URL}/lab/functions")["data"]:
            break
    except OSError:
        pass
    await asyncio.sleep(0.1)
[f["id"] for f in get(f"{DEV_URL}/lab/functions")["data"]]

# %% [markdown]
# ## Send an event with the official SDK, and follow the run

# %%
[event_id] = await client.send(inngest.Event(name="crm/lead.created", data={"email": "ada@analytical.io"}))


async def finished_run(event_id: str) -> dict:
    for _ in range(300):
        runs = get(f"{DEV_URL}/v1/events/{event_id}/runs")["data"]
        if runs and runs[0]["status"] in ("Completed", "Failed", "Cancelled"):
            return runs[0]
        await asyncio.sleep(0.1)
    raise TimeoutError(event_id)


run = await finished_run(event_id)
run["status"], run["output"]

# %% [markdown]
# The server's `GET /lab/runs/{id}/trace` answers the same timeline the notebook widgets draw; a
# `TimelineSnapshot` shows it (as it was when fetched: this engine lives in another process).

# %%
# NBVAL_IGNORE_OUTPUT
from inngest_lab.widgets import TimelineSnapshot

TimelineSnapshot(get(f"{DEV_URL}/lab/runs/{run['run_id']}/trace")["data"])

# %% [markdown]
# Stop the server and the app.

# %%
dev.terminate()
dev.wait(10)
server.stop()
