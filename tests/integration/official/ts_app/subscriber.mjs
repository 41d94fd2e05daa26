// A realtime subscriber on the official TS SDK: `subscribe()` from "inngest/realtime" (token, then WebSocket).
//
//     node --experimental-websocket subscriber.mjs <app id> <channel> <topic> <count>
//
// Configured by the environment like app.mjs (INNGEST_DEV, or INNGEST_BASE_URL + INNGEST_SIGNING_KEY). Prints
// {"ready":true} once subscribed, then each message it receives as one JSON line, and exits after <count>.
import { Inngest } from "inngest";
import { subscribe } from "inngest/realtime";

const [appId, channel, topic, count] = process.argv.slice(2);
const app = new Inngest({ id: appId });
const stream = await subscribe({ app, channel, topics: [topic] });
console.log(JSON.stringify({ ready: true }));
let received = 0;
for await (const message of stream) {
  console.log(JSON.stringify(message));
  if (++received >= Number(count)) break;
}
process.exit(0);
