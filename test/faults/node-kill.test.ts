// SIGKILL a node with a blackjack round, a draws match and a pool match holding stakes, on Postgres and Redis shared
// with a second node. The survivor's recovery refunds every stake once the dead node's leases expire, the audit
// passes, the survivor keeps taking and playing games, and the dead node's players end with a close, not a hang.
import type { Room } from "@colyseus/sdk";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RAISED_RATE_LIMITS } from "../../loadtest/scripts/raised-limits.ts";
import type { BlackjackStateView } from "../../protocol/blackjack.ts";
import type { Synced } from "../../protocol/common.ts";
import type { DrawsStateView } from "../../protocol/draws.ts";
import { betUntilRoundWaits } from "../support/blackjack.ts";
import { freePort } from "../support/free-port.ts";
import { sdkClient, signInGuest, walletBalance } from "../support/game-server.ts";
import { killSpawnedServers, type ServerProcess, spawnServer, waitForOutput } from "../support/server-process.ts";
import {
  createScratchDatabase,
  postgresAvailable,
  REDIS_TEST_URL,
  redisAvailable,
  type ScratchDatabase,
} from "../support/services.ts";
import { phaseOf, runAudit, until } from "./support.ts";

const hasServices = (await postgresAvailable()) && (await redisAvailable());
const ROUND_LEASE_MS = 2_000;
const STARTING_GRANT_MINOR = 1_000_000n;

describe.skipIf(!hasServices)("SIGKILL of a node with games in play", () => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await createScratchDatabase("ts_fault_kill");
    const redis = new Redis(REDIS_TEST_URL);
    await redis.flushdb();
    redis.disconnect();
  });
  afterAll(async () => {
    killSpawnedServers();
    await scratch?.drop();
  });

  async function startNode(name: string): Promise<{ node: ServerProcess; url: string }> {
    const port = await freePort();
    const node = spawnServer({
      PORT: String(port),
      DATABASE_URL: scratch.url,
      REDIS_URL: REDIS_TEST_URL,
      PUBLIC_ADDRESS: `127.0.0.1:${port}`,
      REGION: name,
      JWT_SECRET: "a-secret-for-the-node-kill-test-that-is-long-enough",
      ROUND_LEASE_MS: String(ROUND_LEASE_MS),
      PHYSICS_BACKEND: "cpu",
      LOG_LEVEL: "info",
      ...RAISED_RATE_LIMITS,
    });
    await waitForOutput(node, /server listening/, 60_000);
    return { node, url: `http://127.0.0.1:${port}` };
  }

  it("refunds every stake through the survivor, which keeps serving; the dead node's players are closed", async () => {
    // Node A alone, so every game lands on it.
    const a = await startNode("a");
    const guests = await Promise.all(
      ["Table", "Draw A", "Draw B", "Pool A", "Pool B"].map((name) => signInGuest(a.url, `Kill ${name}`)),
    );
    const [tableGuest, drawA, drawB, poolA, poolB] = guests.map((g) => sdkClient(a.url, g.token));
    const rooms: Room[] = [];

    const table = await tableGuest!.create<Synced<BlackjackStateView>>("blackjack", {
      actionSeconds: 60,
      insuranceSeconds: 60,
    });
    rooms.push(table);
    // A hand the deal settles (a blackjack) pays out at once: the table's player is owed back what it held before
    // the bet still in play.
    let tableBalanceBeforeBet = STARTING_GRANT_MINOR;
    await betUntilRoundWaits(table, 1_500, async () => {
      tableBalanceBeforeBet = await walletBalance(a.url, guests[0]!.token);
    });

    const drawOptions = { mode: "quick", stakeMinor: 4_000, drawSeconds: 60 };
    const drawRooms = [
      await drawA!.joinOrCreate<Synced<DrawsStateView>>("draws", drawOptions),
      await drawB!.joinOrCreate<Synced<DrawsStateView>>("draws", drawOptions),
    ];
    rooms.push(...drawRooms);
    await until(() => drawRooms[0]!.state.ready, "the draws pair");
    for (const room of drawRooms) room.send("stake", { stakeMinor: 4_000 });
    await until(() => phaseOf(drawRooms[0]!) === "awaiting_draws", "the draws stakes");

    const poolOptions = { mode: "quick", stakeMinor: 700 };
    const poolRooms = [await poolA!.joinOrCreate("pool", poolOptions), await poolB!.joinOrCreate("pool", poolOptions)];
    rooms.push(...poolRooms);
    await until(() => phaseOf(poolRooms[0]!) === "accepting", "the pool seats");
    for (const room of poolRooms) room.send("acceptStake", {});
    await until(() => phaseOf(poolRooms[0]!) === "playing", "the break");

    const closes: (number | null)[] = rooms.map(() => null);
    rooms.forEach((room, i) => {
      for (const type of ["events", "seedRevealed", "matchStarted", "shot", "decision", "timeout", "error"])
        room.onMessage(type, () => {});
      // The SDK's own retries towards a dead node stall after the first attempt (no further close event comes), so
      // these clients report the drop and the test reconnects them by hand, as a client would after a drop.
      room.reconnection.enabled = false;
      room.onLeave((code: number) => {
        closes[i] = code;
      });
    });

    const db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    const escrowMinor = async () =>
      BigInt(
        (await db.query("select coalesce(sum(balance_minor), 0) as total from wallet_accounts where kind = 'escrow'"))
          .rows[0].total,
      );
    const openRounds = async () =>
      Number((await db.query("select count(*) as n from wallet_rounds where status = 'open'")).rows[0].n);
    try {
      expect(await escrowMinor()).toBe(1_500n + 2n * 4_000n + 2n * 700n);
      expect(await openRounds()).toBe(3);

      const b = await startNode("b");
      a.node.child.kill("SIGKILL");
      expect(await a.node.exited).toBe("SIGKILL");

      // Every connection to the dead node ends abnormally (1006, which the SDK treats as "may reconnect"); trying the
      // reconnection token through the survivor is refused with a message, since the room died with its node.
      await until(() => closes.every((code) => code !== null), "every client of the dead node to be closed", 30_000);
      for (const code of closes) expect(code).toBe(1006);
      for (const [i, room] of rooms.entries()) {
        const guest = guests[i]!;
        await expect(sdkClient(b.url, guest.token).reconnect(room.reconnectionToken)).rejects.toThrow(/\w/);
      }

      // The survivor's recovery takes the rounds once their leases expire: every stake back to its player.
      await until(async () => (await openRounds()) === 0, "the survivor to recover the rounds", 6 * ROUND_LEASE_MS);
      expect(await escrowMinor()).toBe(0n);
      expect(await walletBalance(b.url, guests[0]!.token)).toBe(tableBalanceBeforeBet);
      for (const guest of guests.slice(1)) expect(await walletBalance(b.url, guest.token)).toBe(STARTING_GRANT_MINOR);
      expect(b.node.output()).toMatch(/recovered abandoned rounds/);

      // The survivor keeps serving: a new table takes a bet and deals.
      const fresh = await signInGuest(b.url, "Kill Survivor");
      const survivorTable = await sdkClient(b.url, fresh.token).create<Synced<BlackjackStateView>>("blackjack", {
        actionSeconds: 60,
      });
      let freshBefore = 0n;
      await betUntilRoundWaits(survivorTable, 1_000, async () => {
        freshBefore = await walletBalance(b.url, fresh.token);
      });
      expect(await walletBalance(b.url, fresh.token)).toBe(freshBefore - 1_000n);
      await survivorTable.leave();
      expect((await fetch(`${b.url}/ready`)).status).toBe(200);

      b.node.child.kill("SIGTERM");
      expect(await b.node.exited).toBe(0);
    } finally {
      await db.end();
    }
    const audit = await runAudit(scratch.url);
    expect(audit.code, audit.output).toBe(0);
  }, 120_000);
});
