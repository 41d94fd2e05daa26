# %% [markdown]
# # 4. Flow control: concurrency, throttle, debounce, batching, rate limit
#
# Flow control decides whether, when and with which events a function runs. It is configured on
# the function and applied by the engine as events arrive, durably (it survives a restart) and on
# the engine's clock, so with the fake clock you can watch minutes of traffic shaping in an instant.
# `docs/flow-control.md` describes every option.

# %%
import asyncio
from datetime import timedelta

import inngest_lab as inngest
from inngest_lab.widgets import FunctionTable, RunsTable

lab = inngest.Lab(":memory:", fake_clock=True)
client = inngest.Inngest(app_id="traffic")


def minutes_after_first(runs: list[inngest.Run]) -> list[float]:
    """When each run started, in minutes after the first one (oldest first)."""
    starts = sorted(r.started_at_ms for r in runs)
    return [(s - starts[0]) / 60_000 for s in starts]

# %% [markdown]
# ## Concurrency: at most N steps at a time
#
# A GPU box renders two videos at once. Concurrency limits *executing* steps (a sleeping or waiting
# run holds no slot), optionally per key. The render step below takes a little real time, so we can
# count how many run at once.

# %%
rendering = {"now": 0, "most": 0}


async def render(video: str) -> str:
    rendering["now"] += 1
    rendering["most"] = max(rendering["most"], rendering["now"])
    await asyncio.sleep(0.02)  # the actual work
    rendering["now"] -= 1
    return f"{video}.mp4"


@client.create_function(
    fn_id="render-video",
    trigger=inngest.TriggerEvent(event="video/uploaded"),
    concurrency=[inngest.Concurrency(limit=2)],
)
async def render_video(ctx: inngest.Context) -> str:
    return await ctx.step.run("render", render, ctx.event.data["video"])


# %% [markdown]
# ## Throttle: smooth a burst out
#
# A partner API takes one call a minute. Three events arrive at once: the three runs are created
# at once and start a minute apart. Nothing is dropped; the wait shows as queue delay.

# %%
@client.create_function(
    fn_id="call-partner",
    trigger=inngest.TriggerEvent(event="partner/sync"),
    throttle=inngest.Throttle(limit=1, period=timedelta(minutes=1), burst=None),
)
async def call_partner(ctx: inngest.Context) -> int:
    return await ctx.step.run("call", lambda: ctx.event.data["n"])


# %% [markdown]
# ## Debounce: one run for a burst of events
#
# Save a document five minutes after its last edit, with the last edit's event.

# %%
@client.create_function(
    fn_id="autosave",
    trigger=inngest.TriggerEvent(event="doc/edited"),
    debounce=inngest.Debounce(period=timedelta(minutes=5), key="event.data.doc"),
)
async def autosave(ctx: inngest.Context) -> str:
    return f"saved {ctx.event.data['doc']} at rev {ctx.event.data['rev']}"


# %% [markdown]
# ## Batching: many events, one run
#
# Insert log lines three at a time, or whatever arrived ten seconds after the first one.

# %%
@client.create_function(
    fn_id="bulk-insert",
    trigger=inngest.TriggerEvent(event="log/line"),
    batch_events=inngest.Batch(max_size=3, timeout=timedelta(seconds=10)),
)
async def bulk_insert(ctx: inngest.Context) -> list[int]:
    return [e.data["n"] for e in ctx.events]


# %% [markdown]
# ## Rate limit: drop what is over the limit
#
# Sync a company at most once every four hours; extra events are recorded as Skipped runs.

# %%
@client.create_function(
    fn_id="sync-company",
    trigger=inngest.TriggerEvent(event="crm/company.updated"),
    rate_limit=inngest.RateLimit(limit=1, period=timedelta(hours=4), key="event.data.company"),
)
async def sync_company(ctx: inngest.Context) -> str:
    return ctx.event.data["company"]


lab.serve(client, [render_video, call_partner, autosave, bulk_insert, sync_company])
functions = FunctionTable()
await functions.loaded
functions

# %% [markdown]
# ### Concurrency at work: five uploads, never more than two renders at once

# %%
lab.send([{"name": "video/uploaded", "data": {"video": f"clip-{n}"}} for n in range(5)])
await lab.idle()
renders = await lab.runs(fn_id="traffic-render-video")
rendering["most"], sorted(r.output for r in renders)

# %% [markdown]
# On the real clock, a step that waited for a slot shows it on its timeline: a crosshatched stretch
# of its bar, and "Delayed by concurrency" with the wait when you click its row. (The fake clock
# stands still while the renders run, so here the waits last zero virtual milliseconds.)

# %% [markdown]
# ### Throttle at work

# %%
lab.send([{"name": "partner/sync", "data": {"n": n}} for n in range(3)])
await lab.advance(minutes=3)
throttled = await lab.runs(fn_id="traffic-call-partner")
minutes_after_first(throttled)

# %% [markdown]
# The last run's timeline: the hatched part of its bar is the two minutes it waited for its slot.

# %%
throttled[0]

# %% [markdown]
# ### Debounce at work: three edits two minutes apart, one save

# %%
for rev in range(1, 4):
    lab.send({"name": "doc/edited", "data": {"doc": "readme", "rev": rev}})
    await lab.advance(minutes=2)
print("runs while editing:", len(await lab.runs(fn_id="traffic-autosave")))
await lab.advance(minutes=5)
[(r.status, r.output) for r in await lab.runs(fn_id="traffic-autosave")]

# %% [markdown]
# ### Batching at work: four lines make a full batch and a timed-out one

# %%
lab.send([{"name": "log/line", "data": {"n": n}} for n in range(1, 5)])
await lab.idle()
print("after the burst:", [r.output for r in await lab.runs(fn_id="traffic-bulk-insert")])
await lab.advance(seconds=10)
[r.output for r in await lab.runs(fn_id="traffic-bulk-insert")]

# %% [markdown]
# ### Rate limit at work: one run per company, the rest Skipped

# %%
lab.send([{"name": "crm/company.updated", "data": {"company": c}} for c in ("acme", "acme", "initech")])
await lab.idle()
sorted((r.event.get("data", {})["company"], r.status.value, r.skip_reason) for r in await lab.runs(fn_id="traffic-sync-company"))

# %% [markdown]
# All runs of the rate-limited function, as a live table (pick a status or a function to filter;
# click a row for its timeline):

# %%
table = RunsTable(fn_id="traffic-sync-company")
await table.loaded
table
