"""Our SDK's ``ctx.step.ai.infer``: the engine makes the inference call (a local OpenAI-compatible server), the
step returns the response, a 500 is retried after the step's backoff, and a 401 ends as a ``StepError``."""

from __future__ import annotations

from typing import Any

import inngest_lab as inngest
from inngest_lab.experimental.ai import openai
from tests.cases.helpers import current, started_run
from tests.integration.official.model_server import model_server


async def test_infer_returns_the_response_retries_a_500_and_raises_on_a_401(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    @client.create_function(fn_id="ask", trigger=inngest.TriggerEvent(event="app/ask"), retries=1)
    async def ask(ctx: inngest.Context) -> Any:
        adapter = openai.Adapter(auth_key="sk-case", model="gpt-lab", base_url=str(ctx.event.data["base_url"]))
        try:
            return await ctx.step.ai.infer(
                "infer", adapter=adapter, body={"messages": [{"role": "user", "content": "q"}]}
            )
        except inngest.StepError as err:
            return {"error": err.name}

    lab.serve(client, [ask])
    async with model_server() as model:
        ok = await started_run(lab, lab.send({"name": "app/ask", "data": {"base_url": model.base_url("ok")}})[0])
        flaky = await started_run(lab, lab.send({"name": "app/ask", "data": {"base_url": model.base_url("flaky")}})[0])
        denied = await started_run(
            lab, lab.send({"name": "app/ask", "data": {"base_url": model.base_url("denied")}})[0]
        )
        await lab.idle()
        await lab.advance(minutes=1)  # the retries' backoff

        answer = await current(lab, ok.run_id)
        assert answer.output["choices"][0]["message"]["content"] == "echo: q"
        assert (await current(lab, flaky.run_id)).output["id"] == "cmpl-2"
        assert (await current(lab, denied.run_id)).output == {"error": "AIGatewayError"}
        assert [r.authorization for r in model.requests] == ["Bearer sk-case"] * 5  # ok 1, flaky 2, denied 2
        assert model.of("ok")[0].body["model"] == "gpt-lab"
