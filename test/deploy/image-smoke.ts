// From the host, against a server running inside the image: /health and /ready, a guest sign-in, and a blackjack
// table joined over WebSocket with @colyseus/sdk, a bet placed and the cards dealt. Used by .ci/image.sh.
//   node test/deploy/image-smoke.ts http://127.0.0.1:PORT
import { Client } from "@colyseus/sdk";

const STEP_TIMEOUT_MS = 20_000;
const url = process.argv[2];
if (!url) {
  console.error("usage: image-smoke.ts http://host:port");
  process.exit(2);
}

function within<T>(what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function expectJson(path: string, status: number, init?: RequestInit): Promise<Record<string, unknown>> {
  const response = await within(path, fetch(`${url}${path}`, init));
  const body = await response.text();
  if (response.status !== status) throw new Error(`${path}: expected ${status}, got ${response.status} ${body}`);
  return JSON.parse(body) as Record<string, unknown>;
}

const ready = await expectJson("/ready", 200);
const checks = ready.checks as string[];
for (const check of ["database", "migrations", "redis"]) {
  if (!checks.includes(check)) throw new Error(`/ready does not check ${check}: ${JSON.stringify(ready)}`);
}
await expectJson("/health", 200);
// The browser client is bundled by esbuild inside the server on first request: proof the production install has it.
for (const [path, type] of [
  ["/play", "text/html"],
  ["/play/app.js", "javascript"],
]) {
  const response = await within(path, fetch(`${url}${path}`));
  const body = await response.text();
  if (response.status !== 200 || !response.headers.get("content-type")?.includes(type!) || body.length < 100)
    throw new Error(`${path}: ${response.status} ${response.headers.get("content-type")} (${body.length} bytes)`);
}

const guest = (await expectJson("/auth/guest", 201, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ displayName: "Image Check" }),
})) as { token: string; player: { id: string } };
const wallet = await expectJson("/wallet", 200, { headers: { authorization: `Bearer ${guest.token}` } });

const client = new Client(url);
client.auth.token = guest.token;
const room = await within("joining a blackjack table", client.create("blackjack", {}));
for (const type of ["events", "roundSettled", "error"]) room.onMessage(type, () => {});
const phase = () => (room.state as { phase?: string } | undefined)?.phase;
const reached = (accept: (phase: string) => boolean) =>
  within(
    "the table's state",
    new Promise<string>((resolve) => {
      const check = () => {
        const current = phase();
        if (current && accept(current)) resolve(current);
      };
      room.onStateChange(check);
      check();
    }),
  );
await reached((p) => p === "betting");
room.send("bet", { amountMinor: 100 });
const dealt = await reached((p) => p !== "betting");
await room.leave();
console.log(
  `image smoke ok: ready (${checks.join(", ")}), /play bundled, guest ${guest.player.id} with ${wallet.balanceMinor} minor units, ` +
    `joined blackjack room ${room.roomId} over WebSocket, bet placed, table moved to "${dealt}"`,
);
process.exit(0);
