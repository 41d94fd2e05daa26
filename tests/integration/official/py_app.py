"""The scenario app on the official Python SDK (PyPI ``inngest`` 0.5.19), served by Tornado at ``/api/inngest``.

    python tests/integration/official/py_app.py <app id> <port>

Configured only the way a user configures the SDK: ``INNGEST_DEV=<server url>`` for dev mode, or
``INNGEST_BASE_URL`` + ``INNGEST_SIGNING_KEY`` (+ ``_FALLBACK``) + ``INNGEST_EVENT_KEY`` for cloud mode.
``ts_app/app.mjs`` defines the same functions on the TypeScript SDK; every event name is ``<app id>/<name>``
so both apps can share one server. Sleeps and timeouts are short: the scenario tests wait them out.
"""

from __future__ import annotations

import asyncio
import datetime
import functools
import sys
import time
from typing import Any

import inngest
import inngest.tornado
import tornado.web
from inngest.experimental import realtime
from inngest.experimental.ai import openai

APP_ID, PORT = sys.argv[1], int(sys.argv[2])
SECOND = datetime.timedelta(seconds=1)
client = inngest.Inngest(app_id=APP_ID)


def on(name: str) -> inngest.TriggerEvent:
    return inngest.TriggerEvent(event=f"{APP_ID}/{name}")


def data(ctx: inngest.ContextSync) -> dict[str, Any]:
    """The event's data, as loosely typed as user code treats it."""
    return dict(ctx.event.data)


def fail(message: str) -> Any:
    raise ValueError(message)


@client.create_function(fn_id="child", trigger=on("child"), retries=0)
def child(ctx: inngest.ContextSync) -> Any:
    return {"child": ctx.event.data.get("x")}


@client.create_function(fn_id="slow-child", trigger=on("slow-child"), retries=0)
def slow_child(ctx: inngest.ContextSync) -> str:
    ctx.step.sleep("nap", 3 * SECOND)
    return "late"


@client.create_function(fn_id="run", trigger=on("run"), retries=0)
def run_steps(ctx: inngest.ContextSync) -> Any:
    first = ctx.step.run("a", lambda: "A")
    again = ctx.step.run("a", lambda: "A2")  # a repeated id gets its own memo (hashed "a:1")
    return {"first": first, "again": again}


@client.create_function(fn_id="sleep", trigger=on("sleep"), retries=0)
def sleep(ctx: inngest.ContextSync) -> str:
    ctx.step.sleep("nap", SECOND)
    return "woke"


@client.create_function(fn_id="sleep-until", trigger=on("sleep-until"), retries=0)
def sleep_until(ctx: inngest.ContextSync) -> str:
    ctx.step.sleep_until("nap", datetime.datetime.fromisoformat(data(ctx)["until"]))
    return "woke"


@client.create_function(fn_id="wait", trigger=on("wait"), retries=0)
def wait(ctx: inngest.ContextSync) -> Any:
    reply = ctx.step.wait_for_event(
        "reply",
        event=f"{APP_ID}/wait.reply",
        if_exp="async.data.id == event.data.id",
        timeout=datetime.timedelta(milliseconds=data(ctx)["timeout_ms"]),
    )
    return {"timed_out": reply is None, "data": None if reply is None else reply.data}


@client.create_function(fn_id="ai-infer", trigger=on("ai-infer"), retries=2)
def ai_infer(ctx: inngest.ContextSync) -> Any:
    """``step.ai.infer`` (the AIGateway op): the server calls the model; a failure raises here once retries end."""
    d = data(ctx)
    adapter = openai.Adapter(auth_key=d["key"], base_url=d["base_url"], model="gpt-lab")
    try:
        out = ctx.step.ai.infer("infer", adapter=adapter, body={"messages": [{"role": "user", "content": d["prompt"]}]})
    except inngest.StepError as err:
        return {"ok": False, "error": err.name, "message": err.message}
    return {"ok": True, "out": out}


@client.create_function(fn_id="publish", trigger=on("publish"), retries=0)
def publish(ctx: inngest.ContextSync) -> Any:
    """Realtime publishing: not a step in 0.5.19 (plain HTTP, no run id), so each publish is wrapped in one."""
    d = data(ctx)
    for i in range(d["count"]):
        ctx.step.run(
            f"tick-{i}", functools.partial(realtime.publish_sync, client, f"progress:{d['key']}", "tick", {"i": i})
        )
    return "published"


@client.create_function(fn_id="invoke", trigger=on("invoke"), retries=0)
def invoke(ctx: inngest.ContextSync) -> Any:
    return ctx.step.invoke("call-child", function=child, data={"x": ctx.event.data["x"]})


@client.create_function(fn_id="invoke-timeout", trigger=on("invoke-timeout"), retries=0)
def invoke_timeout(ctx: inngest.ContextSync) -> Any:
    try:
        ctx.step.invoke("call-slow", function=slow_child, data={}, timeout=SECOND)
    except inngest.StepError as err:
        return {"error": err.name, "message": err.message}
    return {"error": None}


@client.create_function(fn_id="send", trigger=on("send"), retries=0)
def send(ctx: inngest.ContextSync) -> Any:
    ids = ctx.step.send_event("send", inngest.Event(name=f"{APP_ID}/sent", data={"id": ctx.event.data["id"]}))
    return {"ids": ids}


@client.create_function(fn_id="sent-listener", trigger=on("sent"), retries=0)
def sent_listener(ctx: inngest.ContextSync) -> Any:
    return {"heard": ctx.event.data}


@client.create_function(fn_id="parallel", trigger=on("parallel"), retries=0)
def parallel(ctx: inngest.ContextSync) -> Any:
    both = ctx.group.parallel((lambda: ctx.step.run("p1", lambda: 1), lambda: ctx.step.run("p2", lambda: 2)))
    return list(both)


@client.create_function(fn_id="step-fails", trigger=on("step-fails"), retries=2)
def step_fails(ctx: inngest.ContextSync) -> Any:
    return ctx.step.run("flaky", fail, "boom")


@client.create_function(fn_id="non-retriable", trigger=on("non-retriable"), retries=3)
def non_retriable(ctx: inngest.ContextSync) -> Any:
    def stop() -> None:
        raise inngest.NonRetriableError("no way")

    return ctx.step.run("stop", stop)


@client.create_function(fn_id="retry-after", trigger=on("retry-after"), retries=1)
def retry_after(ctx: inngest.ContextSync) -> Any:
    if ctx.attempt == 0:
        raise inngest.RetryAfterError("not yet", 3 * SECOND)
    return {"attempt": ctx.attempt}


def handle_failure(ctx: inngest.ContextSync) -> Any:
    return {"handled": data(ctx)["error"]["message"]}


@client.create_function(fn_id="on-failure", trigger=on("on-failure"), retries=0, on_failure=handle_failure)
def with_failure_handler(ctx: inngest.ContextSync) -> Any:
    return fail("failed on purpose")


@client.create_function(
    fn_id="cancellable",
    trigger=on("cancellable"),
    retries=0,
    cancel=[inngest.Cancel(event=f"{APP_ID}/cancel", if_exp="async.data.id == event.data.id")],
)
def cancellable(ctx: inngest.ContextSync) -> str:
    ctx.step.sleep("nap", datetime.timedelta(hours=1))
    return "not cancelled"


@client.create_function(fn_id="cron", trigger=inngest.TriggerCron(cron="* * * * *"), retries=0)
def cron(ctx: inngest.ContextSync) -> Any:
    return {"name": ctx.event.name, "cron": ctx.event.data.get("cron")}


@client.create_function(fn_id="many-steps", trigger=on("many-steps"), retries=0)
def many_steps(ctx: inngest.ContextSync) -> Any:
    count = int(data(ctx)["count"])
    steps = tuple(functools.partial(ctx.step.run, f"s{i}", int, i) for i in range(count))
    return len(ctx.group.parallel(steps))


@client.create_function(fn_id="big-steps", trigger=on("big-steps"), retries=0)
def big_steps(ctx: inngest.ContextSync) -> Any:
    """``sizes``: one step per size, each returning a string of that many bytes; in parallel when ``parallel``."""
    sizes = [int(s) for s in data(ctx)["sizes"]]
    steps = tuple(functools.partial(ctx.step.run, f"big{i}", "x".__mul__, n) for i, n in enumerate(sizes))
    outputs = ctx.group.parallel(steps) if data(ctx).get("parallel") else tuple(s() for s in steps)
    return [len(o) for o in outputs]


@client.create_function(
    fn_id="rate-limited",
    trigger=on("rate-limited"),
    retries=0,
    rate_limit=inngest.RateLimit(limit=1, period=datetime.timedelta(hours=1), key="event.data.key"),
)
def rate_limited(ctx: inngest.ContextSync) -> Any:
    return data(ctx)["key"]


@client.create_function(
    fn_id="batched",
    trigger=on("batched"),
    retries=0,
    batch_events=inngest.Batch(max_size=2, timeout=5 * SECOND, key="event.data.key"),
)
def batched(ctx: inngest.ContextSync) -> Any:
    return [e.data["n"] for e in ctx.events]


@client.create_function(
    fn_id="debounced",
    trigger=on("debounced"),
    retries=0,
    debounce=inngest.Debounce(period=SECOND, key="event.data.key"),
)
def debounced(ctx: inngest.ContextSync) -> Any:
    return data(ctx)["n"]


@client.create_function(
    fn_id="throttled",
    trigger=on("throttled"),
    retries=0,
    throttle=inngest.Throttle(limit=1, period=3 * SECOND, burst=None, key="event.data.key"),
)
def throttled(ctx: inngest.ContextSync) -> Any:
    return data(ctx)["n"]


@client.create_function(fn_id="idempotent", trigger=on("idempotent"), retries=0, idempotency="event.data.key")
def idempotent(ctx: inngest.ContextSync) -> Any:
    return data(ctx)["key"]


@client.create_function(
    fn_id="singleton",
    trigger=on("singleton"),
    retries=0,
    singleton=inngest.Singleton(key="event.data.key", mode="skip"),
)
def singleton(ctx: inngest.ContextSync) -> Any:
    ctx.step.sleep("hold", 3 * SECOND)
    return data(ctx)["n"]


@client.create_function(fn_id="timed-out", trigger=on("timed-out"), retries=0, timeouts=inngest.Timeouts(finish=SECOND))
def timed_out(ctx: inngest.ContextSync) -> Any:
    ctx.step.sleep("too-long", 3 * SECOND)
    ctx.step.run("after", lambda: "ran")
    return "finished"


@client.create_function(
    fn_id="concurrent",
    trigger=on("concurrent"),
    retries=0,
    concurrency=[inngest.Concurrency(limit=1, key="event.data.key")],
)
def concurrent(ctx: inngest.ContextSync) -> Any:
    def work() -> Any:
        time.sleep(0.3)  # long enough for the other run's call to come due while this one executes
        return data(ctx)["n"]

    return ctx.step.run("work", work)


FUNCTIONS = [
    child,
    slow_child,
    run_steps,
    sleep,
    sleep_until,
    wait,
    ai_infer,
    publish,
    invoke,
    invoke_timeout,
    send,
    sent_listener,
    parallel,
    step_fails,
    non_retriable,
    retry_after,
    with_failure_handler,
    cancellable,
    cron,
    many_steps,
    big_steps,
    rate_limited,
    batched,
    debounced,
    throttled,
    idempotent,
    singleton,
    timed_out,
    concurrent,
]


async def main() -> None:
    app = tornado.web.Application([])
    inngest.tornado.serve(app, client, FUNCTIONS)
    app.listen(PORT, "127.0.0.1")
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
