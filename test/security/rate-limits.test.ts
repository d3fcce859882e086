import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.ts";
import { startTestServer, type TestServer } from "../support/game-server.ts";
import { killSpawnedServers, spawnServer, waitForOutput } from "../support/server-process.ts";
import { REDIS_TEST_URL, redisAvailable } from "../support/services.ts";
import { postJson, signInFrom } from "./raw-client.ts";

const hasRedis = await redisAvailable();

function expectRateLimited(
  answer: { status: number; headers: Record<string, unknown>; json: unknown },
  windowS: number,
) {
  expect(answer.status).toBe(429);
  const retryAfter = Number(answer.headers["retry-after"]);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(windowS);
  expect(answer.json).toMatchObject({ error: "RATE_LIMITED" });
}

describe("rate limits on one node", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      RATE_LIMIT_GUEST_SIGNUPS: "3/60",
      RATE_LIMIT_MATCHMAKE: "4/60",
      RATE_LIMIT_MATCHMAKE_IP: "6/60",
      RATE_LIMIT_HTTP: "10/60",
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("limits guest sign-ups per address, with Retry-After, and leaves other addresses alone", async () => {
    for (let i = 0; i < 3; i++) await signInFrom(server.url, `Signup ${i}`, "127.0.0.1");
    expectRateLimited(await postJson(`${server.url}/auth/guest`, { displayName: "Signup Four" }, {}, "127.0.0.1"), 60);
    expect((await postJson(`${server.url}/auth/guest`, { displayName: "Elsewhere" }, {}, "127.0.0.2")).status).toBe(
      201,
    );
  });

  it("limits room creation per player and per address", async () => {
    const alice = await signInFrom(server.url, "Room Maker", "127.0.0.3");
    const bob = await signInFrom(server.url, "Second Maker", "127.0.0.4");
    const create = (token: string) =>
      postJson(
        `${server.url}/matchmake/create/pool`,
        { mode: "private" },
        { authorization: `Bearer ${token}` },
        "127.0.0.5",
      );
    for (let i = 0; i < 4; i++) expect((await create(alice)).status).toBe(200);
    expectRateLimited(await create(alice), 60);
    // Bob from the same address: his own budget, until the address's is spent (6 calls).
    expect((await create(bob)).status).toBe(200);
    expect((await create(bob)).status).toBe(200);
    expectRateLimited(await create(bob), 60);
  });

  it("limits every other route per address, but never the probes", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await fetch(`${server.url}/fair/verify`)).status);
    expect(statuses.slice(0, 9).every((status) => status === 400)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const limited = await fetch(`${server.url}/wallet`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 20; i++) expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
  });
});

describe.skipIf(!hasRedis)("rate limits shared by two nodes through Redis", () => {
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(REDIS_TEST_URL);
    const keys = await redis.keys("ratelimit:*");
    if (keys.length > 0) await redis.del(...keys);
  });
  afterAll(async () => {
    killSpawnedServers();
    redis?.disconnect();
  });

  it("counts sign-ups made on either node against one budget", async () => {
    const urls: string[] = [];
    const nodes = [];
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const node = spawnServer({
        PORT: String(port),
        DATA_DIR: "memory://",
        PHYSICS_BACKEND: "cpu",
        REDIS_URL: REDIS_TEST_URL,
        PUBLIC_ADDRESS: `127.0.0.1:${port}`,
        RATE_LIMIT_GUEST_SIGNUPS: "3/60",
      });
      nodes.push(node);
      urls.push(`http://127.0.0.1:${port}`);
    }
    for (const node of nodes) await waitForOutput(node, /server listening/);
    const [a, b] = urls as [string, string];
    await signInFrom(a, "Node A One", "127.0.0.6");
    await signInFrom(b, "Node B One", "127.0.0.6");
    await signInFrom(a, "Node A Two", "127.0.0.6");
    expectRateLimited(await postJson(`${b}/auth/guest`, { displayName: "Node B Two" }, {}, "127.0.0.6"), 60);
    expectRateLimited(await postJson(`${a}/auth/guest`, { displayName: "Node A Three" }, {}, "127.0.0.6"), 60);
    for (const node of nodes) node.child.kill("SIGTERM");
    for (const node of nodes) expect(await node.exited).toBe(0);
  }, 120_000);
});
