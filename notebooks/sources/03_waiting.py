# %% [markdown]
# # 3. Waiting: sleep, wait_for_event, cancel_on, invoke
#
# A durable function can wait for days without holding a worker: `step.sleep` parks the run on a
# timer, `step.wait_for_event` on a pause that a matching event resumes, `step.invoke` on another
# function's result. `cancel` stops a run when an event says it is no longer wanted.
#
# The fake clock turns days into an instant: `await lab.advance(days=3)` fires every timer due in
# those three days, in order.

# %%
from datetime import timedelta

import inngest_lab as inngest

lab = inngest.Lab(":memory:", fake_clock=True)
client = inngest.Inngest(app_id="onboarding")

# %% [markdown]
# ## A trial, start to finish
#
# Welcome the user, wait three days, then wait up to four more days for them to activate. An
# activated user gets a usage report built by another function (`step.invoke`); the others get a
# nudge. A `trial/cancelled` event for the same user stops the run wherever it is.

# %%
@client.create_function(fn_id="usage-report", trigger=inngest.TriggerEvent(event="report/requested"))
async def usage_report(ctx: inngest.Context) -> dict:
    projects = await ctx.step.run("count-projects", lambda: 3)
    return {"user": ctx.event.data["user"], "projects": projects}


@client.create_function(
    fn_id="trial",
    trigger=inngest.TriggerEvent(event="trial/started"),
    cancel=[inngest.Cancel(event="trial/cancelled", if_exp="async.data.user == event.data.user")],
)
async def trial(ctx: inngest.Context) -> dict:
    user = ctx.event.data["user"]
    await ctx.step.run("send-welcome", lambda: f"welcome mail to {user}")
    await ctx.step.sleep("let-them-try", timedelta(days=3))
    activated = await ctx.step.wait_for_event(
        "wait-for-activation",
        event="app/activated",
        if_exp="async.data.user == event.data.user",
        timeout=timedelta(days=4),
    )
    if activated is None:
        return {"nudged": await ctx.step.run("send-nudge", lambda: f"nudge mail to {user}")}
    report = await ctx.step.invoke("build-report", function=usage_report, data={"user": user})
    return {"activated": activated.data["plan"], "report": report}


lab.serve(client, [usage_report, trial])
[ada, bob, cy] = lab.send([{"name": "trial/started", "data": {"user": u}} for u in ("ada", "bob", "cy")])
await lab.idle()
[ada_run] = await lab.runs(event_id=ada)
ada_run  # welcomed, now sleeping for three days

# %% [markdown]
# Three days later all three runs wait for an activation. Ada activates; Cy cancels.

# %%
await lab.advance(days=3)
lab.send({"name": "app/activated", "data": {"user": "ada", "plan": "pro"}})
lab.send({"name": "trial/cancelled", "data": {"user": "cy"}})
await lab.idle()
[(r.status, r.output) for r in [(await lab.runs(event_id=e))[0] for e in (ada, bob, cy)]]

# %% [markdown]
# Ada's run resumed with her event and invoked `usage-report`, whose output came back as the
# step's result:

# %%
[ada_run] = await lab.runs(event_id=ada)
ada_run

# %% [markdown]
# Bob never activates. Four days later his wait times out with `None` and he gets a nudge:

# %%
await lab.advance(days=4)
[bob_run] = await lab.wait(bob)
bob_run.status, bob_run.output

# %%
bob_run

# %% [markdown]
# And Cy's run was cancelled while it waited:

# %%
[cy_run] = await lab.runs(event_id=cy)
cy_run

# %% [markdown]
# ## Crons run on the same clock
#
# A cron trigger fires on the engine's clock too, so two fake days give two daily digests, at 09:00.

# %%
from datetime import UTC, datetime


@client.create_function(fn_id="daily-digest", trigger=inngest.TriggerCron(cron="0 9 * * *"))
async def daily_digest(ctx: inngest.Context) -> str:
    return await ctx.step.run("build", lambda: "3 new trials")


lab.serve(client, [usage_report, trial, daily_digest])
await lab.advance(days=2)
[
    (datetime.fromtimestamp(r.created_at_ms / 1000, UTC).strftime("%a %d %b %H:%M"), r.output)
    for r in reversed(await lab.runs(fn_id="onboarding-daily-digest"))
]
