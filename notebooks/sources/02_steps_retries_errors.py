# %% [markdown]
# # 2. Steps, retries and errors
#
# Every `step.run` is retried on its own when it raises: the steps before it are memoized and never
# run again. This notebook shows retries with backoff, catching a step that failed for good
# (`StepError`), failing at once (`NonRetriableError`), and compensating with `on_failure`.
#
# The fake clock makes the retry backoff take no real time (and its jitter is seeded, so the
# timings below are the same on every run).

# %%
from datetime import timedelta

import inngest_lab as inngest

lab = inngest.Lab(":memory:", fake_clock=True)
client = inngest.Inngest(app_id="shop")

# %% [markdown]
# ## A flaky step is retried until it succeeds
#
# `charge-card` fails twice (the gateway times out) and succeeds on its third attempt.
# `reserve-stock` ran once: its result was memoized before the first failure.

# %%
calls = {"reserve-stock": 0, "charge-card": 0}


def reserve(order: dict) -> dict:
    calls["reserve-stock"] += 1
    return {"sku": order["sku"], "reserved": True}


def charge(order: dict) -> dict:
    calls["charge-card"] += 1
    if calls["charge-card"] < 3:
        raise ConnectionError("payment gateway timed out")
    return {"charged": order["amount"]}


@client.create_function(fn_id="checkout", trigger=inngest.TriggerEvent(event="shop/order.placed"), retries=3)
async def checkout(ctx: inngest.Context) -> dict:
    reservation = await ctx.step.run("reserve-stock", reserve, ctx.event.data)
    payment = await ctx.step.run("charge-card", charge, ctx.event.data)
    return {**reservation, **payment}


lab.serve(client, [checkout])
[order] = lab.send({"name": "shop/order.placed", "data": {"sku": "mug-01", "amount": 12}})
await lab.advance(minutes=10)  # the retries back off; let the fake clock run through them
[run] = await lab.wait(order)
run.status, run.output, calls

# %% [markdown]
# The timeline shows `charge-card` with its three attempts (click ▸ to expand them; the hatched
# part of each attempt is the backoff it waited in the queue).

# %%
run

# %% [markdown]
# ## `StepError`: a step that failed for good
#
# When a step has used up its retries, the function gets a `StepError` carrying the step's error
# name and message. Catch it to take another path: here, another carrier.

# %%
def buy_label(carrier: str) -> dict:
    if carrier == "fedex":
        raise RuntimeError("FedEx API is down")
    return {"carrier": carrier, "tracking": "1Z999"}


@client.create_function(fn_id="ship", trigger=inngest.TriggerEvent(event="shop/order.paid"), retries=1)
async def ship(ctx: inngest.Context) -> dict:
    try:
        return await ctx.step.run("label-fedex", buy_label, "fedex")
    except inngest.StepError as err:
        label = await ctx.step.run("label-ups", buy_label, "ups")
        return {**label, "fallback_because": f"{err.name}: {err.message}"}


lab.serve(client, [checkout, ship])
[paid] = lab.send({"name": "shop/order.paid", "data": {"order": "o-1"}})
await lab.advance(minutes=5)
[run] = await lab.wait(paid)
run.output

# %%
run

# %% [markdown]
# ## `NonRetriableError` and `on_failure` as compensation
#
# Some failures will not get better with retries: raise `NonRetriableError` and the run fails at
# once. Its `on_failure` handler then runs as a function of its own, triggered by
# `inngest/function.failed`, and undoes what the failed run did (a saga's compensation).

# %%
async def release_stock(ctx: inngest.Context) -> str:
    failed = ctx.event.data  # the failed run's id, its error and its triggering event
    sku = failed["event"]["data"]["sku"]
    return await ctx.step.run("release-stock", lambda: f"released {sku} after {failed['error']['name']}")


def check_card(order: dict) -> None:
    if order["card"] == "stolen":
        raise inngest.NonRetriableError("card reported stolen")


@client.create_function(
    fn_id="express-checkout",
    trigger=inngest.TriggerEvent(event="shop/express.placed"),
    retries=5,
    on_failure=release_stock,
)
async def express_checkout(ctx: inngest.Context) -> str:
    await ctx.step.run("reserve-stock", reserve, ctx.event.data)
    await ctx.step.run("check-card", check_card, ctx.event.data)
    return "shipped"


lab.serve(client, [checkout, ship, express_checkout])
[express] = lab.send({"name": "shop/express.placed", "data": {"sku": "lamp-7", "amount": 40, "card": "stolen"}})
[run] = await lab.wait(express)
await lab.idle()
[compensation] = await lab.runs(fn_id="shop-express-checkout-failure")
run.status, run.error["name"], run.error["message"], compensation.output

# %% [markdown]
# One attempt, no retries, then the compensation run:

# %%
run

# %%
compensation
