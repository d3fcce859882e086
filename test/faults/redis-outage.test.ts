// Redis goes away for about ten seconds under a node running a table (played by cutting a TCP relay in front of the
// real Redis, never by stopping it): /ready says 503 while it lasts, a matchmaking request ends with an answer rather
// than hanging, the process stays up, and once Redis is back the node takes new rooms by itself; the table's money
// moves once, and the audit passes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RAISED_RATE_LIMITS } from "../../loadtest/scripts/raised-limits.ts";
import type { Synced } from "../../protocol/common.ts";
import type { DrawsStateView } from "../../protocol/draws.ts";
import { betUntilRoundWaits } from "../support/blackjack.ts";
import { freePort } from "../support/free-port.ts";
import { sdkClient, signInGuest, walletBalance } from "../support/game-server.ts";
import { killSpawnedServers, spawnServer } from "../support/server-process.ts";
import {
  createScratchDatabase,
  postgresAvailable,
  REDIS_TEST_URL,
  redisAvailable,
  type ScratchDatabase,
} from "../support/services.ts";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.ts";
import { phaseOf, runAudit, until } from "./support.ts";

const hasServices = (await postgresAvailable()) && (await redisAvailable());
const OUTAGE_MS = 10_000;

describe.skipIf(!hasServices)("a Redis outage under a node with a table", () => {
  let scratch: ScratchDatabase;
  let proxy: TcpProxy;
  beforeAll(async () => {
    scratch = await createScratchDatabase("ts_fault_redis");
    const target = new URL(REDIS_TEST_URL);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
  });
  afterAll(async () => {
    killSpawnedServers();
    await proxy?.close();
    await scratch?.drop();
  });

  it("answers 503 while it lasts, never hangs a request, and takes new rooms again once Redis is back", async () => {
    const viaProxy = new URL(REDIS_TEST_URL);
    viaProxy.port = String(proxy.port);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const node = spawnServer({
      PORT: String(port),
      DATABASE_URL: scratch.url,
      REDIS_URL: viaProxy.toString(),
      PUBLIC_ADDRESS: `127.0.0.1:${port}`,
      JWT_SECRET: "a-secret-for-the-redis-outage-test-long-enough",
      PHYSICS_BACKEND: "cpu",
      LOG_LEVEL: "warn",
      ...RAISED_RATE_LIMITS,
    });
    await until(async () => (await fetch(`${url}/ready`).catch(() => null))?.status === 200, "the server", 60_000);

    const [player, newcomer] = await Promise.all([signInGuest(url, "Redis Rita"), signInGuest(url, "Redis Ned")]);
    const table = await sdkClient(url, player.token).create("blackjack", { bettingSeconds: 120, actionSeconds: 60 });
    for (const type of ["events", "roundSettled", "seedRevealed", "error"]) table.onMessage(type, () => {});
    await until(() => phaseOf(table) === "betting", "the table");

    const cutAt = Date.now();
    await proxy.cut();
    await until(async () => (await fetch(`${url}/ready`)).status === 503, "/ready to say 503", OUTAGE_MS);
    const ready = (await (await fetch(`${url}/ready`)).json()) as { problems: string[] };
    expect(ready.problems.join(" ")).toMatch(/redis/i);

    // A matchmaking request during the outage gets an answer (a room or a refusal) before the outage is over.
    const answer = await Promise.race([
      sdkClient(url, newcomer.token)
        .create("blackjack")
        .then(
          (room) => {
            void room.leave();
            return "joined";
          },
          (error: Error) => `refused: ${error.message}`,
        ),
      new Promise<string>((resolve) => setTimeout(() => resolve("no answer"), OUTAGE_MS + 5_000)),
    ]);
    console.log(`matchmaking during the Redis outage: ${answer}`);
    expect(answer).not.toBe("no answer");

    await until(() => Date.now() - cutAt >= OUTAGE_MS, "the outage to last", OUTAGE_MS + 20_000);
    expect(node.child.exitCode).toBeNull();
    await proxy.restore();
    await until(async () => (await fetch(`${url}/ready`)).status === 200, "/ready to recover", 30_000);

    // The table that lived through it still plays, and its stake moves once.
    // A hand the deal settles (a blackjack) pays at once: bet again until a round holds the stake.
    let before = 0n;
    await betUntilRoundWaits(table, 1_000, async () => {
      before = await walletBalance(url, player.token);
    });
    expect(await walletBalance(url, player.token)).toBe(before - 1_000n);

    // New rooms again, found through the presence.
    const fresh = await sdkClient(url, newcomer.token).create<Synced<DrawsStateView>>("draws", { mode: "private" });
    await until(() => fresh.state.code !== "", "a new room after the outage");
    await fresh.leave();
    await table.leave();

    node.child.kill("SIGTERM");
    expect(await node.exited).toBe(0);
    const audit = await runAudit(scratch.url);
    expect(audit.code, audit.output).toBe(0);
  }, 120_000);
});
