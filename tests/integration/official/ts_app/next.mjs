// The 2026-protocol scenario functions of the TypeScript app (issue 13): signals, the AI and fetch gateways and
// realtime publishing. app.mjs serves them next to the others; the Python app defines the ones its SDK has.
import { channel, staticSchema } from "inngest/realtime";

// One channel per key, so a subscriber to another run's channel never sees these messages.
export const progress = channel({
  name: (key) => `progress:${key}`,
  topics: { tick: { schema: staticSchema() } },
});

export function nextFunctions(inngest, on) {
  const signal = inngest.createFunction({ id: "signal", triggers: on("signal"), retries: 0 }, async ({ event, step }) => {
    const got = await step.waitForSignal("wait", {
      signal: event.data.signal,
      timeout: event.data.timeout ?? "30s",
      onConflict: event.data.conflict ?? "replace",
    });
    return { got };
  });

  const signalSend = inngest.createFunction(
    { id: "signal-send", triggers: on("signal-send"), retries: 0 },
    async ({ event, step }) => step.sendSignal("send", { signal: event.data.signal, data: event.data.data }),
  );

  const aiInfer = inngest.createFunction(
    { id: "ai-infer", triggers: on("ai-infer"), retries: 2 },
    async ({ event, step }) => {
      try {
        const out = await step.ai.infer("infer", {
          model: step.ai.models.openai({ model: "gpt-lab", apiKey: event.data.key, baseUrl: event.data.base_url }),
          body: { messages: [{ role: "user", content: event.data.prompt }] },
        });
        return { ok: true, out };
      } catch (err) {
        return { ok: false, error: err.name, message: err.message };
      }
    },
  );

  const fetchFn = inngest.createFunction({ id: "fetch", triggers: on("fetch"), retries: 0 }, async ({ event, step }) => {
    const response = await step.fetch(event.data.url, {
      method: "POST",
      headers: { "x-lab": "1" },
      body: JSON.stringify({ a: 1 }),
    });
    return { status: response.status, text: await response.text(), reply: response.headers.get("x-reply") };
  });

  const publish = inngest.createFunction({ id: "publish", triggers: on("publish"), retries: 0 }, async ({ event, step }) => {
    for (let i = 0; i < event.data.count; i++) {
      await step.realtime.publish(`tick-${i}`, progress(event.data.key).tick, { i });
    }
    return "published";
  });

  return [signal, signalSend, aiInfer, fetchFn, publish];
}
