import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { players } from "../../src/db/schema/index.ts";
import { Wallet } from "../../src/wallet/wallet.ts";
import { leasesLapsed, TEST_WALLET_SETTINGS } from "./support.ts";

describe("wallet on the embedded PGlite", () => {
  it("grants, stakes, settles, refunds, recovers and audits clean", async () => {
    const database = await openDatabase({ dataDir: "memory://" });
    try {
      await database.migrate();
      const wallet = new Wallet(database.db, TEST_WALLET_SETTINGS);
      const [alice, bob] = await database.db
        .insert(players)
        .values([{ displayName: "alice" }, { displayName: "bob" }])
        .returning({ id: players.id });
      await wallet.ensurePlayerWallet(alice!.id);
      await wallet.ensurePlayerWallet(bob!.id);

      await wallet.openRound({ roundId: "lite-1", game: "draws", ownerNodeId: "node-a" });
      const stake = await wallet.stake({ key: "l-a", roundId: "lite-1", playerId: alice!.id, amountMinor: 1_000n });
      await wallet.stake({ key: "l-b", roundId: "lite-1", playerId: bob!.id, amountMinor: 1_000n });
      const replay = await wallet.stake({ key: "l-a", roundId: "lite-1", playerId: alice!.id, amountMinor: 1_000n });
      await wallet.settle({
        key: "l-settle",
        roundId: "lite-1",
        outcome: { payouts: [{ playerId: bob!.id, amountMinor: 1_900n }], rakeMinor: 100n },
      });
      await wallet.openRound({ roundId: "lite-2", game: "draws", ownerNodeId: "node-dead", leaseMs: 100 });
      await wallet.stake({ key: "l-c", roundId: "lite-2", playerId: alice!.id, amountMinor: 300n });
      await leasesLapsed(database, ["lite-2"]);
      const recovered = await wallet.recoverExpiredRounds();

      expect(stake.balanceMinor).toBe(99_000n);
      expect(replay.replayed).toBe(true);
      expect(recovered.refunded).toEqual(["lite-2"]);
      expect((await wallet.balance(alice!.id)).formatted).toBe("990.00 DEMO");
      expect((await wallet.balance(bob!.id)).balanceMinor).toBe(100_900n);
      const page = await wallet.ledger(alice!.id, { limit: 2 });
      expect(page.transfers.map((entry) => [entry.kind, entry.direction])).toEqual([
        ["refund", "credit"],
        ["stake", "debit"],
      ]);
      expect((await wallet.audit()).ok).toBe(true);
    } finally {
      await database.close();
    }
  });
});
