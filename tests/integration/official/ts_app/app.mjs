// The scenario app on the official TypeScript SDK (npm inngest 4), served over inngest/node at /api/inngest.
//
//     node tests/integration/official/ts_app/app.mjs <app id> <port>
//
// Configured only the way a user configures the SDK: INNGEST_DEV=<server url> for dev mode, or
// INNGEST_BASE_URL + INNGEST_SIGNING_KEY (+ _FALLBACK) + INNGEST_EVENT_KEY for cloud mode.
// ../py_app.py defines the same functions on the Python SDK; every event name is "<app id>/<name>" so both
// apps can share one server. Sleeps and timeouts are short: the scenario tests wait them out.
import http from "node:http";
import { Inngest, NonRetriableError, RetryAfterError } from "inngest";
import { serve } from "inngest/node";
import { nextFunctions } from "./next.mjs";

const [appId, port] = process.argv.slice(2);
const inngest = new Inngest({ id: appId });
const on = (name) => [{ event: `${appId}/${name}` }];
const fail = (message) => {
  throw new Error(message);
};

const child = inngest.createFunction(
  { id: "child", triggers: on("child"), retries: 0 },
  async ({ event }) => ({ child: event.data.x }),
);

const slowChild = inngest.createFunction(
  { id: "slow-child", triggers: on("slow-child"), retries: 0 },
  async ({ step }) => {
    await step.sleep("nap", "3s");
    return "late";
  },
);

const runSteps = inngest.createFunction({ id: "run", triggers: on("run"), retries: 0 }, async ({ step }) => {
  const first = await step.run("a", () => "A");
  const again = await step.run("a", () => "A2"); // a repeated id gets its own memo (hashed "a:1")
  return { first, again };
});

const sleep = inngest.createFunction({ id: "sleep", triggers: on("sleep"), retries: 0 }, async ({ step }) => {
  await step.sleep("nap", "1s");
  return "woke";
});

const sleepUntil = inngest.createFunction(
  { id: "sleep-until", triggers: on("sleep-until"), retries: 0 },
  async ({ event, step }) => {
    await step.sleepUntil("nap", event.data.until);
    return "woke";
  },
);

const wait = inngest.createFunction({ id: "wait", triggers: on("wait"), retries: 0 }, async ({ event, step }) => {
  const reply = await step.waitForEvent("reply", {
    event: `${appId}/wait.reply`,
    if: "async.data.id == event.data.id",
    timeout: event.data.timeout_ms,
  });
  return { timed_out: reply === null, data: reply === null ? null : reply.data };
});

const invoke = inngest.createFunction({ id: "invoke", triggers: on("invoke"), retries: 0 }, async ({ event, step }) =>
  step.invoke("call-child", { function: child, data: { x: event.data.x } }),
);

const invokeTimeout = inngest.createFunction(
  { id: "invoke-timeout", triggers: on("invoke-timeout"), retries: 0 },
  async ({ step }) => {
    try {
      await step.invoke("call-slow", { function: slowChild, data: {}, timeout: "1s" });
    } catch (err) {
      return { error: err.name, message: err.message };
    }
    return { error: null };
  },
);

const send = inngest.createFunction({ id: "send", triggers: on("send"), retries: 0 }, async ({ event, step }) => {
  const { ids } = await step.sendEvent("send", { name: `${appId}/sent`, data: { id: event.data.id } });
  return { ids };
});

const sentListener = inngest.createFunction(
  { id: "sent-listener", triggers: on("sent"), retries: 0 },
  async ({ event }) => ({ heard: event.data }),
);

const parallel = inngest.createFunction({ id: "parallel", triggers: on("parallel"), retries: 0 }, async ({ step }) =>
  Promise.all([step.run("p1", () => 1), step.run("p2", () => 2)]),
);

const stepFails = inngest.createFunction(
  { id: "step-fails", triggers: on("step-fails"), retries: 2 },
  async ({ step }) => step.run("flaky", () => fail("boom")),
);

const nonRetriable = inngest.createFunction(
  { id: "non-retriable", triggers: on("non-retriable"), retries: 3 },
  async ({ step }) =>
    step.run("stop", () => {
      throw new NonRetriableError("no way");
    }),
);

const retryAfter = inngest.createFunction(
  { id: "retry-after", triggers: on("retry-after"), retries: 1 },
  async ({ attempt }) => {
    if (attempt === 0) throw new RetryAfterError("not yet", "3s");
    return { attempt };
  },
);

const withFailureHandler = inngest.createFunction(
  {
    id: "on-failure",
    triggers: on("on-failure"),
    retries: 0,
    onFailure: async ({ error }) => ({ handled: error.message }),
  },
  async () => fail("failed on purpose"),
);

const cancellable = inngest.createFunction(
  {
    id: "cancellable",
    triggers: on("cancellable"),
    retries: 0,
    cancelOn: [{ event: `${appId}/cancel`, if: "async.data.id == event.data.id" }],
  },
  async ({ step }) => {
    await step.sleep("nap", "1h");
    return "not cancelled";
  },
);

const cron = inngest.createFunction(
  { id: "cron", triggers: [{ cron: "* * * * *" }], retries: 0 },
  async ({ event }) => ({ name: event.name, cron: event.data.cron }),
);

const manySteps = inngest.createFunction(
  { id: "many-steps", triggers: on("many-steps"), retries: 0 },
  async ({ event, step }) => {
    const steps = Array.from({ length: event.data.count }, (_, i) => step.run(`s${i}`, () => i));
    return (await Promise.all(steps)).length;
  },
);

// sizes: one step per size, each returning a string of that many bytes; in parallel when `parallel`.
const bigSteps = inngest.createFunction(
  { id: "big-steps", triggers: on("big-steps"), retries: 0 },
  async ({ event, step }) => {
    const run = (n, i) => step.run(`big${i}`, () => "x".repeat(n));
    let outputs;
    if (event.data.parallel) {
      outputs = await Promise.all(event.data.sizes.map(run));
    } else {
      outputs = [];
      for (const [i, n] of event.data.sizes.entries()) outputs.push(await run(n, i));
    }
    return outputs.map((o) => o.length);
  },
);

const rateLimited = inngest.createFunction(
  {
    id: "rate-limited",
    triggers: on("rate-limited"),
    retries: 0,
    rateLimit: { limit: 1, period: "1h", key: "event.data.key" },
  },
  async ({ event }) => event.data.key,
);

const batched = inngest.createFunction(
  {
    id: "batched",
    triggers: on("batched"),
    retries: 0,
    batchEvents: { maxSize: 2, timeout: "5s", key: "event.data.key" },
  },
  async ({ events }) => events.map((e) => e.data.n),
);

const debounced = inngest.createFunction(
  { id: "debounced", triggers: on("debounced"), retries: 0, debounce: { period: "1s", key: "event.data.key" } },
  async ({ event }) => event.data.n,
);

const throttled = inngest.createFunction(
  {
    id: "throttled",
    triggers: on("throttled"),
    retries: 0,
    throttle: { limit: 1, period: "3s", key: "event.data.key" },
  },
  async ({ event }) => event.data.n,
);

const concurrent = inngest.createFunction(
  {
    id: "concurrent",
    triggers: on("concurrent"),
    retries: 0,
    concurrency: { limit: 1, key: "event.data.key" },
  },
  async ({ event, step }) =>
    step.run("work", async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return event.data.n;
    }),
);

const idempotent = inngest.createFunction(
  { id: "idempotent", triggers: on("idempotent"), retries: 0, idempotency: "event.data.key" },
  async ({ event }) => event.data.key,
);

const singleton = inngest.createFunction(
  {
    id: "singleton",
    triggers: on("singleton"),
    retries: 0,
    singleton: { key: "event.data.key", mode: "skip" },
  },
  async ({ event, step }) => {
    await step.sleep("hold", "3s");
    return event.data.n;
  },
);

const timedOut = inngest.createFunction(
  { id: "timed-out", triggers: on("timed-out"), retries: 0, timeouts: { finish: "1s" } },
  async ({ step }) => {
    await step.sleep("too-long", "3s");
    await step.run("after", () => "ran");
    return "finished";
  },
);

const functions = [
  child,
  slowChild,
  runSteps,
  sleep,
  sleepUntil,
  wait,
  invoke,
  invokeTimeout,
  send,
  sentListener,
  parallel,
  stepFails,
  nonRetriable,
  retryAfter,
  withFailureHandler,
  cancellable,
  cron,
  manySteps,
  bigSteps,
  rateLimited,
  batched,
  debounced,
  throttled,
  idempotent,
  singleton,
  timedOut,
  concurrent,
  ...nextFunctions(inngest, on),
];

const handler = serve({ client: inngest, functions });
http
  .createServer((req, res) => {
    if (req.url.split("?")[0] === "/api/inngest") return handler(req, res);
    res.writeHead(404).end();
  })
  .listen(Number(port), "127.0.0.1");
