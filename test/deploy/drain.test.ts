// The drain a pod goes through when Kubernetes stops it: SIGTERM to a server process with a blackjack round, a draws
// match and a pool match in play. Readiness drops at once, no new room is taken, every game finishes or is settled
// or refunded within SHUTDOWN_DEADLINE_MS, the process exits 0, no escrow holds money and the ledger audit passes.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Room } from "@colyseus/sdk";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BlackjackRoundSettled, BlackjackStateView } from "../../protocol/blackjack.ts";
import type { Synced } from "../../protocol/common.ts";
import type { DrawsRoundSettledMessage, DrawsStateView } from "../../protocol/draws.ts";
import type { PoolMatchOver, PoolStateView } from "../../protocol/pool.ts";
import { betUntilRoundWaits } from "../support/blackjack.ts";
import { freePort } from "../support/free-port.ts";
import { sdkClient, signInGuest } from "../support/game-server.ts";
import { killSpawnedServers, spawnServer, waitForOutput } from "../support/server-process.ts";
import { createScratchDatabase, postgresAvailable, type ScratchDatabase } from "../support/services.ts";
import { waitFor } from "../support/wait.ts";

const hasPostgres = await postgresAvailable();
const SHUTDOWN_DEADLINE_MS = 4_000;
// Time after the deadline for the rooms to settle or refund, close the database and exit (the chart's settleSeconds).
const SETTLE_MARGIN_MS = 10_000;
const AUDIT_CLI = fileURLToPath(new URL("../../src/cli/audit.ts", import.meta.url));

/** The phase a room shows, "" until its first state has been decoded. */
const phaseOf = <S extends { phase: string }>(room: Room<unknown, S>) => room.state?.phase ?? "";

function runAudit(databaseUrl: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [AUDIT_CLI], {
      env: { PATH: process.env.PATH ?? "", DATABASE_URL: databaseUrl, LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe.skipIf(!hasPostgres)("SIGTERM with every kind of game in play", () => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await createScratchDatabase("ts_drain");
  });
  afterAll(async () => {
    killSpawnedServers();
    await scratch?.drop();
  });

  it("finishes, settles or refunds each game within the deadline, exits 0 and leaves no escrow", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const node = spawnServer({
      PORT: String(port),
      DATABASE_URL: scratch.url,
      JWT_SECRET: "a-secret-for-the-drain-test-that-is-long-enough",
      SHUTDOWN_DEADLINE_MS: String(SHUTDOWN_DEADLINE_MS),
      PHYSICS_BACKEND: "cpu",
    });
    await waitForOutput(node, /server listening/);
    const guests = await Promise.all(
      ["Table Guest", "Draw A", "Draw B", "Pool A", "Pool B"].map((name) => signInGuest(url, name)),
    );
    const [dealerGuest, drawA, drawB, poolA, poolB] = guests.map((g) => sdkClient(url, g.token));

    // Blackjack: a bet in escrow, the cards dealt, the player yet to act.
    const table = await dealerGuest!.create<Synced<BlackjackStateView>>("blackjack", {
      actionSeconds: 60,
      insuranceSeconds: 60,
    });
    const blackjackSettled: BlackjackRoundSettled[] = [];
    table.onMessage("roundSettled", (m: BlackjackRoundSettled) => blackjackSettled.push(m));
    const blackjackRounds = await betUntilRoundWaits(table, 1_500);

    // Draws: both stakes held, nobody pressing draw for a minute.
    const drawOptions = { mode: "quick", stakeMinor: 4_000, drawSeconds: 60 };
    const drawRooms = [
      await drawA!.joinOrCreate<Synced<DrawsStateView>>("draws", drawOptions),
      await drawB!.joinOrCreate<Synced<DrawsStateView>>("draws", drawOptions),
    ];
    const drawsSettled: DrawsRoundSettledMessage[] = [];
    for (const room of drawRooms) {
      for (const type of ["events", "seedRevealed", "error"]) room.onMessage(type, () => {});
      room.onMessage("roundSettled", (m: DrawsRoundSettledMessage) => drawsSettled.push(m));
    }
    await waitFor(() => drawRooms[0]!.state?.ready === true, "the draws pair", 15_000);
    for (const room of drawRooms) room.send("stake", { stakeMinor: 4_000 });
    await waitFor(() => phaseOf(drawRooms[0]!) === "awaiting_draws", "the draws stakes", 15_000);

    // Pool: stakes accepted, the break on.
    const poolOptions = { mode: "quick", stakeMinor: 700 };
    const poolRooms = [
      await poolA!.joinOrCreate<Synced<PoolStateView>>("pool", poolOptions),
      await poolB!.joinOrCreate<Synced<PoolStateView>>("pool", poolOptions),
    ];
    const poolOver: PoolMatchOver[] = [];
    for (const room of poolRooms) {
      for (const type of ["matchStarted", "shot", "decision", "timeout", "events", "error"])
        room.onMessage(type, () => {});
      room.onMessage("matchOver", (m: PoolMatchOver) => poolOver.push(m));
    }
    await waitFor(() => phaseOf(poolRooms[0]!) === "accepting", "the pool seats", 15_000);
    for (const room of poolRooms) room.send("acceptStake", {});
    await waitFor(() => phaseOf(poolRooms[0]!) === "playing", "the break", 15_000);

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
      // All three games hold stakes: 1,500 + 2 × 4,000 + 2 × 700.
      expect(await escrowMinor()).toBe(10_900n);
      expect(await openRounds()).toBe(3);

      const signalledAt = Date.now();
      node.child.kill("SIGTERM");
      await waitForOutput(node, /shutting down/, 5_000);
      const ready = await fetch(`${url}/ready`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { problems: string[] }).problems).toContain("server: shutting down");
      await expect(sdkClient(url, guests[0]!.token).create("blackjack")).rejects.toBeDefined();

      // The blackjack player finishes the hand during the drain.
      if (phaseOf(table) === "insurance") table.send("insurance", { take: false });
      await waitFor(() => phaseOf(table) !== "insurance", "the end of insurance", 15_000);
      if (phaseOf(table) === "playerTurns") table.send("stand", {});

      const code = await node.exited;
      const drainMs = Date.now() - signalledAt;
      expect(code).toBe(0);
      expect(drainMs).toBeLessThan(SHUTDOWN_DEADLINE_MS + SETTLE_MARGIN_MS);
      expect(node.output()).toMatch(/shutdown complete/);

      await waitFor(() => blackjackSettled.length === blackjackRounds, "the blackjack settlement", 2_000);
      expect(drawsSettled.length).toBeGreaterThanOrEqual(1);
      expect(poolOver.length).toBeGreaterThanOrEqual(1);
      expect(poolOver[0]!).toMatchObject({ reason: "shutdown", refunded: true });

      expect(await escrowMinor()).toBe(0n);
      expect(await openRounds()).toBe(0);
      const statuses = (await db.query("select status, count(*)::int as n from wallet_rounds group by status")).rows;
      // The three games' rounds, and any blackjack hand that settled at its deal.
      expect(statuses.reduce((sum, row) => sum + row.n, 0)).toBe(2 + blackjackRounds);
    } finally {
      await db.end();
    }

    const audit = await runAudit(scratch.url);
    expect(audit.code, audit.output).toBe(0);
  }, 90_000);
});
