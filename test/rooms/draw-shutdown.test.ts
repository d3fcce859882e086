import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import type { RoundSettledMessage } from "../../loadtest/bots/draw-bot.ts";
import type { Synced } from "../../protocol/common.ts";
import type { DrawsStateView } from "../../protocol/draws.ts";
import { sdkClient, signInGuest, startTestServer } from "../support/game-server.ts";
import { createScratchDatabase, postgresAvailable, type ScratchDatabase } from "../support/services.ts";
import { waitFor } from "../support/wait.ts";

const hasPostgres = await postgresAvailable();

describe.skipIf(!hasPostgres)("draws room at server shutdown", () => {
  let scratch: ScratchDatabase | undefined;
  afterAll(async () => {
    await scratch?.drop();
  });

  it("a round in play when the server shuts down is drawn out and settled: no stake is left in escrow", async () => {
    scratch = await createScratchDatabase();
    const server = await startTestServer({ DATABASE_URL: scratch.url });
    const [a, b] = await Promise.all([signInGuest(server.url, "Pia"), signInGuest(server.url, "Quin")]);
    // Nobody would press draw for a minute; the shutdown must not wait for that.
    const options = { mode: "quick", stakeMinor: 4_000, drawSeconds: 60, patchRateMs: 5 };
    const first = await sdkClient(server.url, a.token).joinOrCreate<Synced<DrawsStateView>>("draws", options);
    const second = await sdkClient(server.url, b.token).joinOrCreate("draws", options);
    const settled: RoundSettledMessage[] = [];
    for (const room of [first, second]) {
      room.onMessage("events", () => {});
      room.onMessage("seedRevealed", () => {});
      room.onMessage("error", () => {});
    }
    first.onMessage("roundSettled", (message: RoundSettledMessage) => settled.push(message));
    second.onMessage("roundSettled", () => {});
    const view = () => first.state;
    await waitFor(() => view().ready, "the pair");
    first.send("stake", { stakeMinor: 4_000 });
    second.send("stake", { stakeMinor: 4_000 });
    await waitFor(() => view().phase === "awaiting_draws", "stakes held");
    const roundId = view().roundId;

    const started = Date.now();
    await server.stop();
    expect(Date.now() - started).toBeLessThan(10_000);
    // The room settled the round before it let go of the players; its message was on the wire before the close.
    await waitFor(() => settled.length === 1, "the settled round", 2_000);
    expect(settled[0]!.result.attempts.at(-1)!.cards.every((card) => card !== null)).toBe(true);

    const db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    try {
      const round = await db.query("select status from wallet_rounds where id = $1", [roundId]);
      expect(round.rows[0]?.status).toBe("settled");
      const escrow = await db.query(
        "select a.balance_minor from wallet_accounts a join wallet_rounds r on r.escrow_account_id = a.id where r.id = $1",
        [roundId],
      );
      expect(String(escrow.rows[0]?.balance_minor)).toBe("0");
    } finally {
      await db.end();
    }
  });
});
