"""An inngest-py 0.5.19 app served by Tornado, run as a subprocess by test_real_python_sdk.py.

argv: <server base url> <"cloud"|"dev"> <port> <signing key> <event key>. Prints "ready" once listening.
"""

from __future__ import annotations

import asyncio
import sys

import inngest
import inngest.tornado
import tornado.web

base, mode, port, signing_key, event_key = sys.argv[1:6]
cloud = mode == "cloud"
client = inngest.Inngest(
    app_id="py-app",
    is_production=cloud,
    api_base_url=base,
    event_api_base_url=base,
    signing_key=signing_key if cloud else None,
    event_key=event_key if cloud else None,
)


@client.create_function(fn_id="hello", trigger=inngest.TriggerEvent(event="app/hello"))
def hello(ctx: inngest.ContextSync) -> str:
    a = ctx.step.run("a", lambda: "A")
    ids = ctx.step.send_event("send", [inngest.Event(name="app/other", data={})])
    return f"{a}{len(ids)}{ctx.event.data['x']}"


async def main() -> None:
    app = tornado.web.Application([])
    inngest.tornado.serve(app, client, [hello])
    app.listen(int(port), "127.0.0.1")
    print("ready", flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
