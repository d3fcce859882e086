import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatchOverMessage } from "../../loadtest/bots/pool-bot-client.ts";
import type { Synced } from "../../protocol/common.ts";
import type { PoolStateView } from "../../protocol/pool.ts";
import { sdkClient, signInGuest, startTestServer, type TestServer } from "../support/game-server.ts";
import { createScratchDatabase, postgresAvailable, type ScratchDatabase } from "../support/services.ts";
import { waitFor } from "../support/wait.ts";

const hasPostgres = await postgresAvailable();
const STARTING_GRANT_MINOR = 1_000_000n;

describe.skipIf(!hasPostgres)("PoolRoom when the server shuts down mid-match", () => {
  let scratch: ScratchDatabase;
  let server: TestServer;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    server = await startTestServer({ DATABASE_URL: scratch.url, PHYSICS_BACKEND: "cpu" });
  });
  afterAll(async () => {
    await server?.stop();
    await scratch?.drop();
  });

  it("refunds both stakes, closes the wallet round and stores the replay with no winner", async () => {
    const [a, b] = await Promise.all(["Mo", "Ny"].map((name) => signInGuest(server.url, name)));
    const first = await sdkClient(server.url, a!.token).joinOrCreate<Synced<PoolStateView>>("pool", {
      mode: "quick",
      stakeMinor: 700,
    });
    const second = await sdkClient(server.url, b!.token).joinOrCreate<Synced<PoolStateView>>("pool", {
      mode: "quick",
      stakeMinor: 700,
    });
    const over: MatchOverMessage[] = [];
    first.onMessage("matchOver", (m: MatchOverMessage) => over.push(m));
    for (const room of [first, second])
      for (const type of ["matchStarted", "shot", "decision", "timeout"]) room.onMessage(type, () => {});
    second.onMessage("matchOver", () => {});
    await waitFor(() => first.state.phase === "accepting", "both seats");
    first.send("acceptStake", {});
    second.send("acceptStake", {});
    await waitFor(() => first.state.phase === "playing", "the break");

    await server.server.shutdown("deploy");
    expect(over).toHaveLength(1);
    expect(over[0]!.reason).toBe("shutdown");
    expect(over[0]!.refunded).toBe(true);

    const db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    try {
      const balances = await db.query<{ balance_minor: string }>(
        "select balance_minor from wallet_accounts where player_id = any($1::uuid[])",
        [[a!.player.id, b!.player.id]],
      );
      expect(balances.rows.map((r) => BigInt(r.balance_minor))).toEqual([STARTING_GRANT_MINOR, STARTING_GRANT_MINOR]);
      const round = await db.query<{ status: string }>("select status from wallet_rounds where id = $1", [
        `pool:${first.roomId}`,
      ]);
      expect(round.rows[0]?.status).toBe("refunded");
      const replay = await db.query<{ winner_seat: number; end_reason: string }>(
        "select winner_seat, end_reason from match_replays where match_id = $1",
        [first.roomId],
      );
      expect(replay.rows[0]).toEqual({ winner_seat: -1, end_reason: "shutdown" });
    } finally {
      await db.end();
    }
  }, 30_000);
});
