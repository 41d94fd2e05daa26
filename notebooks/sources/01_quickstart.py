# %% [markdown]
# # 1. Quickstart: a durable function, an event, a timeline
#
# inngest-lab runs Inngest-style durable functions right here in the kernel. In this notebook you
# start the engine, define a function with the usual decorator, send it an event and watch its run
# on a live timeline. Nothing to install or start: the engine lives in this kernel's event loop.
#
# `fake_clock=True` makes time stand still until you move it with `await lab.advance(...)`, so the
# one-minute sleep below takes no time at all (and the notebook's output is the same on every run).
# Drop it to use the real clock.

# %%
from datetime import timedelta

import inngest_lab as inngest

lab = inngest.Lab(":memory:", fake_clock=True)  # Lab() alone keeps runs in ./.inngest_lab/lab.db

# %% [markdown]
# ## Define a function
#
# A function is triggered by an event and made of **steps**. Each `step.run` is memoized: once it
# has succeeded it never runs again, even if the function is retried or the kernel restarts. Re-run
# this cell after editing the function and the new version replaces the old one.

# %%
client = inngest.Inngest(app_id="quickstart")


@client.create_function(fn_id="welcome", trigger=inngest.TriggerEvent(event="user/signed.up"))
async def welcome(ctx: inngest.Context) -> str:
    user = await ctx.step.run("load-user", lambda: {"name": ctx.event.data["name"], "plan": "free"})
    await ctx.step.sleep("give-them-a-minute", timedelta(minutes=1))
    return await ctx.step.run("send-welcome-email", lambda: f"Welcome aboard, {user['name']}!")


lab.serve(client, [welcome])
lab.functions()

# %% [markdown]
# ## Send an event
#
# `lab.send` returns the event ids at once. The run starts, runs its first step and goes to sleep.

# %%
[event_id] = lab.send({"name": "user/signed.up", "data": {"name": "Ada"}})
await lab.idle()
[run] = await lab.runs(event_id=event_id)
run.status

# %% [markdown]
# ## The timeline
#
# A cell that ends with a run shows its timeline: one row per step, bars placed in time and
# coloured by status, the hatched part of a bar is the queue delay. Click a row to see its output or
# error. The widget is live: it follows the run as the engine commits, with no polling.

# %%
run

# %% [markdown]
# ## Let time pass
#
# Advance the fake clock by a minute: the sleep ends, the last step runs, and the timeline above
# fills in by itself.

# %%
await lab.advance(minutes=1)
[run] = await lab.wait(event_id)
run.status, run.output

# %% [markdown]
# The same run, drawn again now that it has finished:

# %%
from inngest_lab.widgets import RunTimeline

RunTimeline(run)

# %% [markdown]
# ## Realtime: progress from inside a run
#
# A run can stream messages while it works with the SDK's `publish` helper: progress for a bar, log
# lines, partial results. Publish inside a `step.run`, so a retried or replayed run does not send them
# twice. `follow_realtime` shows the run's timeline with its realtime stream under it, live: each
# message as a log row (channel, topic, data), and a progress bar for data with a `progress` between
# 0 and 1. It subscribes before it returns, so nothing published afterwards is missed.

# %%
from inngest_lab.sdk.realtime import publish
from inngest_lab.workbench.realtime_view import follow_realtime


@client.create_function(fn_id="import-contacts", trigger=inngest.TriggerEvent(event="contacts/import"))
async def import_contacts(ctx: inngest.Context) -> int:
    pages = 4
    for page in range(1, pages + 1):
        await ctx.step.sleep(f"wait-for-page-{page}", timedelta(seconds=1))

        async def import_page(page: int = page) -> None:
            progress = {"progress": page / pages, "page": page, "imported": 50 * page}
            await publish(client, "imports", "progress", progress, run_id=ctx.run_id)

        await ctx.step.run(f"import-page-{page}", import_page)
    return 50 * pages


lab.serve(client, [welcome, import_contacts])
[import_event] = lab.send({"name": "contacts/import"})
await lab.idle()
[import_run] = await lab.runs(event_id=import_event)
stream = await follow_realtime(lab, import_run.run_id)

# %% [markdown]
# Four seconds of the fake clock import the four pages: the bar and the log above fill in as the
# engine runs each step (`await lab.advance(seconds=1)` instead moves them a page at a time). The
# stream stops by itself when the run ends: `stream.task` is then done.

# %%
await lab.advance(seconds=4)
await stream.task
stream.progress, [m["data"]["page"] for m in stream.messages]

# %% [markdown]
# ## Your workbench
#
# Three more widgets make the notebook a small dashboard. The event composer validates an event
# before sending it and lists the runs it started (click one for its timeline; "Copy as cURL"
# gives the same event for `inngest-lab dev`):

# %%
from inngest_lab.widgets import EventComposer, FunctionTable, RunsTable

EventComposer(name="user/signed.up", data={"name": "Grace"})

# %% [markdown]
# The functions this Lab serves, with their triggers and flow control, and an Invoke button:

# %%
functions = FunctionTable()
await functions.loaded
functions

# %% [markdown]
# And the runs, newest first, with live statuses (filter by status, function or age; click a row
# for its timeline). Send Grace's event above, then `await lab.advance(minutes=1)`, and watch it.

# %%
runs = RunsTable()
await runs.loaded
runs
