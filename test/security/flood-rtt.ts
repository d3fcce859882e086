/**
 * The victim's round trip while eight clients flood their own tables.
 *
 *   node test/security/flood-rtt.ts [--seconds 10] [--flooders 8] [--rate 190] [--payload 16384]
 *
 * Starts `node src/main.ts` on a free port (embedded PGlite, no Redis), seats a victim at one blackjack table and
 * pings the server ten times a second from it; then each flooder (its own account, from its own 127.0.0.x address)
 * creates a table allowing 200 messages/s and sends `rate` unknown-type messages a second of `payload` bytes,
 * reconnecting whenever it is cut off. Prints the victim's round-trip percentiles without and with the flood, and
 * what happened to the flooders.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Client } from "@colyseus/sdk";
import { freePort } from "../support/free-port.ts";
import { joinRaw, signInFrom } from "./raw-client.ts";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    flooders: { type: "string", default: "8" },
    rate: { type: "string", default: "190" },
    payload: { type: "string", default: "16384" },
  },
});
const SECONDS = Number(values.seconds);
const FLOODERS = Number(values.flooders);
const RATE = Number(values.rate);
const PAYLOAD_BYTES = Number(values.payload);
const PING_EVERY_MS = 100;

function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(samples: number[], lost: number) {
  const f = (value: number) => value.toFixed(1);
  return `n=${samples.length} lost=${lost} p50=${f(percentile(samples, 50))} ms p99=${f(percentile(samples, 99))} ms max=${f(Math.max(...samples))} ms`;
}

async function startServer(port: number): Promise<ChildProcess> {
  const main = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
  const child = spawn(process.execPath, [main], {
    env: {
      PATH: process.env.PATH ?? "",
      PORT: String(port),
      DATA_DIR: "memory://",
      PHYSICS_BACKEND: "cpu",
      LOG_LEVEL: "error",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr?.resume();
  child.stdout?.resume();
  const url = `http://127.0.0.1:${port}/health`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error("server exited");
    try {
      if ((await fetch(url)).ok) return child;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("server did not start");
}

/** Pings from the victim's room for `ms`, one every PING_EVERY_MS; an answer later than 2 s counts as lost. */
async function measure(room: import("@colyseus/sdk").Room, ms: number) {
  const samples: number[] = [];
  let lost = 0;
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const rtt = await new Promise<number | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), 2_000);
      room.ping((value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
    if (rtt === undefined) lost += 1;
    else samples.push(rtt);
    await new Promise((resolve) => setTimeout(resolve, PING_EVERY_MS));
  }
  return { samples, lost };
}

const port = await freePort();
const server = await startServer(port);
const url = `http://127.0.0.1:${port}`;
try {
  const victimClient = new Client(url);
  victimClient.auth.token = await signInFrom(url, "Victim");
  const victim = await victimClient.create("blackjack", {});
  victim.onMessage("*", () => {});
  const baseline = await measure(victim, SECONDS * 1000);

  const tokens = await Promise.all(
    Array.from({ length: FLOODERS }, (_, i) => signInFrom(url, `Flooder ${i}`, `127.0.0.${i + 2}`)),
  );
  const outcome = { connections: 0, sent: 0, closes: new Map<string, number>(), refusals: new Map<string, number>() };
  let flooding = true;
  const payload = Buffer.concat([Buffer.from([13, 0xa5]), Buffer.from("bogus"), Buffer.from([0xc6]), Buffer.alloc(4)]);
  payload.writeUInt32BE(PAYLOAD_BYTES, payload.length - 4);
  const frame = Buffer.concat([payload, Buffer.alloc(PAYLOAD_BYTES, 0x61)]);
  const flood = async (token: string, address: string) => {
    while (flooding) {
      let client: Awaited<ReturnType<typeof joinRaw>>;
      try {
        client = await joinRaw(url, token, "create", "blackjack", { maxMessagesPerSecond: 200 }, address);
        await client.joined;
      } catch (error) {
        const reason = String((error as Error).message).slice(0, 40);
        outcome.refusals.set(reason, (outcome.refusals.get(reason) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      }
      outcome.connections += 1;
      const timer = setInterval(() => {
        if (client.socket.readyState !== client.socket.OPEN) return;
        client.socket.send(frame);
        outcome.sent += 1;
      }, 1000 / RATE);
      const closed = await Promise.race([
        client.closed,
        new Promise<undefined>((resolve) => {
          const check = setInterval(() => {
            if (!flooding) {
              clearInterval(check);
              resolve(undefined);
            }
          }, 50);
        }),
      ]);
      clearInterval(timer);
      if (closed) {
        const key = `${closed.code} ${closed.reason.split(":")[0]}`;
        outcome.closes.set(key, (outcome.closes.get(key) ?? 0) + 1);
      } else {
        client.socket.terminate();
      }
    }
  };
  const flooders = tokens.map((token, i) => flood(token, `127.0.0.${i + 2}`));
  const underFlood = await measure(victim, SECONDS * 1000);
  flooding = false;
  await Promise.all(flooders);

  console.log(`victim without flood: ${summary(baseline.samples, baseline.lost)}`);
  console.log(
    `victim with ${FLOODERS} flooders at ${RATE}/s x ${PAYLOAD_BYTES} B: ${summary(underFlood.samples, underFlood.lost)}`,
  );
  console.log(`flooders: ${outcome.connections} connections, ${outcome.sent} messages sent`);
  console.log(`flooder closes: ${JSON.stringify(Object.fromEntries(outcome.closes))}`);
  console.log(`flooder refusals: ${JSON.stringify(Object.fromEntries(outcome.refusals))}`);
  console.log(`victim still connected: ${victim.connection.isOpen}`);
  await victim.leave();
} finally {
  server.kill("SIGKILL");
}
