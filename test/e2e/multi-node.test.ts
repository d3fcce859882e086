import type { Room } from "@colyseus/sdk";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdkClient, signInGuest } from "../support/game-server.ts";
import { killSpawnedServers, type ServerProcess, spawnServer, waitForOutput } from "../support/server-process.ts";
import {
  createScratchDatabase,
  postgresAvailable,
  REDIS_TEST_URL,
  redisAvailable,
  type ScratchDatabase,
} from "../support/services.ts";

const ready = (await postgresAvailable()) && (await redisAvailable());
// A Redis database of its own, so room listings left by other runs cannot be matched.
const REDIS_DB = 11;

function waitForState(room: Room, accept: (state: { playersOnline: number }) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = (state: { playersOnline: number }) => {
      if (accept(state)) resolve();
    };
    room.onStateChange(check);
    if (room.state) check(room.state as { playersOnline: number });
  });
}

describe.skipIf(!ready)("two server nodes sharing Redis and Postgres", () => {
  let scratch: ScratchDatabase;
  const nodes: ServerProcess[] = [];
  const ports = [25681, 25682];

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    const redis = new Redis(`${REDIS_TEST_URL}/${REDIS_DB}`);
    await redis.flushdb();
    redis.disconnect();
    for (const port of ports) {
      const node = spawnServer({
        PORT: String(port),
        PUBLIC_ADDRESS: `127.0.0.1:${port}`,
        DATABASE_URL: scratch.url,
        REDIS_URL: `${REDIS_TEST_URL}/${REDIS_DB}`,
        JWT_SECRET: "a-secret-shared-by-every-node-of-the-cluster",
        REGION: "test-region",
      });
      nodes.push(node);
      await waitForOutput(node, /server listening/);
    }
  });
  afterAll(async () => {
    for (const node of nodes) node.child.kill("SIGTERM");
    await Promise.race([Promise.all(nodes.map((node) => node.exited)), new Promise((r) => setTimeout(r, 10_000))]);
    killSpawnedServers();
    await scratch?.drop();
  });

  it("a room created through one node is joined by a client of the other node", async () => {
    const [urlA, urlB] = ports.map((port) => `http://127.0.0.1:${port}`);
    const alice = await signInGuest(urlA!, "Alice Node");
    const bob = await signInGuest(urlB!, "Bob Node");

    const roomOnA = await sdkClient(urlA!, alice.token).create("lobby");
    // The matchmaker may place the room on either node; Bob asks the node that does not host it.
    const hostPort = Number(new URL(roomOnA.connection.url!).port);
    expect(ports).toContain(hostPort);
    const otherNode = `http://127.0.0.1:${ports.find((port) => port !== hostPort)}`;
    const roomViaB = await sdkClient(otherNode, bob.token).joinById(roomOnA.roomId);
    expect(roomViaB.roomId).toBe(roomOnA.roomId);
    expect(Number(new URL(roomViaB.connection.url!).port)).toBe(hostPort);

    await waitForState(roomOnA, (state) => state.playersOnline === 2);
    await waitForState(roomViaB, (state) => state.playersOnline === 2);

    const profile = new Promise<{ displayName: string }>((resolve) => roomViaB.onMessage("profile", resolve));
    roomViaB.send("profile");
    expect((await profile).displayName).toBe("Bob Node");

    await roomViaB.leave();
    await roomOnA.leave();
  });

  it("both nodes report Redis in /ready", async () => {
    for (const port of ports) {
      const body = (await (await fetch(`http://127.0.0.1:${port}/ready`)).json()) as { checks: string[] };
      expect(body.checks).toContain("redis");
    }
  });
});
