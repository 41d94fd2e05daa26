// The benchmark workload on the official TypeScript SDK (npm inngest 4.24), served over inngest/node.
//
//     node benchmarks/ts_bench/app.mjs <port>
//
// Two copies of the 10-step function: "ten-steps" (bench/go) checkpoints, as TS 4.24 does by default when the
// server sends ctx.fn_id; "ten-steps-off" (bench/go-off) has `checkpointing: false`, so each step is a call request.
// Each returns the wall time (epoch seconds) at which its first step ran. GET /stats counts the call requests
// (POSTs) per function id, so the benchmark can print call requests per run.
import http from "node:http";
import { Inngest } from "inngest";
import { serve } from "inngest/node";

const [port] = process.argv.slice(2);
const inngest = new Inngest({ id: "ts-bench" });
const tenSteps = async ({ step }) => {
  let first = 0;
  for (let i = 0; i < 10; i++) {
    const value = await step.run(`s${i}`, () => Date.now() / 1000);
    if (i === 0) first = value;
  }
  return first;
};
const functions = [
  inngest.createFunction({ id: "ten-steps", triggers: [{ event: "bench/go" }], retries: 0 }, tenSteps),
  inngest.createFunction(
    { id: "ten-steps-off", triggers: [{ event: "bench/go-off" }], retries: 0, checkpointing: false },
    tenSteps,
  ),
];
const handler = serve({ client: inngest, functions });
const calls = {};
http
  .createServer((req, res) => {
    const url = new URL(req.url, "http://app");
    if (url.pathname === "/api/inngest") {
      if (req.method === "POST") {
        const fn = url.searchParams.get("fnId");
        calls[fn] = (calls[fn] ?? 0) + 1;
      }
      return handler(req, res);
    }
    if (url.pathname === "/stats") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ calls }));
    }
    res.writeHead(404).end();
  })
  .listen(Number(port), "127.0.0.1");
