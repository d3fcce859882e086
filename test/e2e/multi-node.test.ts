import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Synced } from "../../protocol/common.ts";
import type { LobbyStateView } from "../../protocol/lobby.ts";
import { sdkClient, signInGuest } from "../support/game-server.ts";
import { killSpawnedServers, type ServerProcess, spawnServer, waitForOutput } from "../support/server-process.ts";
import {
  createScratchDatabase,
  postgresAvailable,
  REDIS_TEST_URL,
  redisAvailable,
  type ScratchDatabase,
} from "../support/services.ts";
import { stateWhere } from "../support/wait.ts";

const ready = (await postgresAvailable()) && (await redisAvailable());
// A Redis database of its own, so room listings left by other runs cannot be matched.
const REDIS_DB = 11;

type Lobby = Synced<LobbyStateView>;

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

    const roomOnA = await sdkClient(urlA!, alice.token).create<Lobby>("lobby");
    // The matchmaker may place the room on either node; Bob asks the node that does not host it.
    const hostPort = Number(new URL(roomOnA.connection.url!).port);
    expect(ports).toContain(hostPort);
    const otherNode = `http://127.0.0.1:${ports.find((port) => port !== hostPort)}`;
    const roomViaB = await sdkClient(otherNode, bob.token).joinById<Lobby>(roomOnA.roomId);
    expect(roomViaB.roomId).toBe(roomOnA.roomId);
    expect(Number(new URL(roomViaB.connection.url!).port)).toBe(hostPort);

    await stateWhere(roomOnA, (state) => state.playersOnline === 2, "both players online, seen on node A");
    await stateWhere(roomViaB, (state) => state.playersOnline === 2, "both players online, seen through node B");

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
