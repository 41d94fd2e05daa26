"""An inngest-py 0.5.19 app (the official SDK) on Tornado that prints the ``traceparent`` of every call it gets.

argv: <server base url> <port>. Prints "ready" once listening, then "traceparent <value>" per POST.
"""

from __future__ import annotations

import asyncio
import sys

import inngest
import inngest.tornado
import tornado.web

base, port = sys.argv[1:3]
client = inngest.Inngest(app_id="official", is_production=False, api_base_url=base, event_api_base_url=base)


@client.create_function(fn_id="traced", trigger=inngest.TriggerEvent(event="official/traced"))
def traced(ctx: inngest.ContextSync) -> str:
    return ctx.step.run("one", lambda: "done")


def record(handler: tornado.web.RequestHandler) -> None:
    if handler.request.method == "POST":
        print("traceparent", handler.request.headers.get("traceparent", "-"), flush=True)


async def main() -> None:
    app = tornado.web.Application([], log_function=record)
    inngest.tornado.serve(app, client, [traced])
    app.listen(int(port), "127.0.0.1")
    print("ready", flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
