"""The app the fuzzed servers run: one function of one step, so the runs the seed events start end at once.

python -m tests.integration.api_contract.fuzz_app --port-file FILE   (INNGEST_DEV, or the start keys, in env)
"""

from __future__ import annotations

import inngest_lab as inngest
from tests.integration.apps.common import run

APP_ID = "fuzz"
EVENT = "fuzz/hello"

client = inngest.Inngest(app_id=APP_ID)


@client.create_function(fn_id="hello", trigger=inngest.TriggerEvent(event=EVENT))
async def hello(ctx: inngest.Context) -> str:
    name = await ctx.step.run("greet", lambda: str(ctx.event.data.get("name", "world")))
    return f"hello {name}"


if __name__ == "__main__":
    run(client, [hello])
