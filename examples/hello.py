import inngest_lab as inngest

lab = inngest.Lab()  # SQLite in ./.inngest_lab/lab.db; Lab(":memory:") keeps nothing
client = inngest.Inngest(app_id="demo")


@client.create_function(fn_id="hello", trigger=inngest.TriggerEvent(event="demo/hello"))
async def hello(ctx: inngest.Context) -> str:
    name = await ctx.step.run("lookup", lambda: ctx.event.data.get("name", "world"))
    await ctx.step.sleep("nap", 100)
    return f"hello {name}"


lab.serve(client, [hello])
[event_id] = lab.send({"name": "demo/hello", "data": {"name": "Ada"}})
[run] = lab.wait_sync(event_id)  # blocks; in async code or a notebook: await lab.wait(event_id)
print(run.status, run.output)
