import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable } from "../support/services.ts";
import { openWalletTestContext, type WalletTestContext } from "./support.ts";

async function transferCount(context: WalletTestContext): Promise<number> {
  const result = await context.database.db.execute<{ n: number }>(sql`select count(*)::int as n from wallet_transfers`);
  return result.rows[0]!.n;
}

describe.skipIf(!(await postgresAvailable()))("idempotency keys", () => {
  let context: WalletTestContext;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    context = await openWalletTestContext({ poolSize: 4 });
    [alice, bob] = (await context.createPlayers(2)) as [string, string];
    await context.wallet.ensurePlayerWallet(alice);
    await context.wallet.ensurePlayerWallet(bob);
  });
  afterAll(async () => {
    await context?.close();
  });

  it("grants the starting credit once however often the wallet is ensured", async () => {
    const [carol] = await context.createPlayers(1);
    const balances = await Promise.all([1, 2, 3, 4].map(() => context.wallet.ensurePlayerWallet(carol!)));
    for (const balance of balances) expect(balance.balanceMinor).toBe(100_000n);
    expect((await context.wallet.ensurePlayerWallet(carol!)).formatted).toBe("1,000.00 DEMO");
  });

  it("returns the first transfer when a stake is replayed and moves the money once", async () => {
    const { wallet } = context;
    await wallet.openRound({ roundId: "replay-stake", game: "draws", ownerNodeId: "node-a" });
    const first = await wallet.stake({ key: "bet-1", roundId: "replay-stake", playerId: alice, amountMinor: 2_500n });
    const again = await wallet.stake({ key: "bet-1", roundId: "replay-stake", playerId: alice, amountMinor: "2500" });
    const concurrent = await Promise.all(
      [1, 2, 3].map(() => wallet.stake({ key: "bet-1", roundId: "replay-stake", playerId: alice, amountMinor: 2500 })),
    );

    expect(first.replayed).toBe(false);
    expect(again.replayed).toBe(true);
    for (const replay of [again, ...concurrent]) {
      expect(replay.transfer.id).toBe(first.transfer.id);
      expect(replay.transfer.createdAt).toEqual(first.transfer.createdAt);
    }
    expect((await wallet.balance(alice)).balanceMinor).toBe(97_500n);
    expect(await wallet.escrowBalance("replay-stake")).toBe(2_500n);
  });

  it("rejects a different amount, player or round under a used stake key", async () => {
    const { wallet } = context;
    await wallet.openRound({ roundId: "conflict-stake", game: "draws", ownerNodeId: "node-a" });
    await wallet.stake({ key: "bet-2", roundId: "conflict-stake", playerId: alice, amountMinor: 1_000n });
    const before = await transferCount(context);

    for (const attempt of [
      { key: "bet-2", roundId: "conflict-stake", playerId: alice, amountMinor: 1_001n },
      { key: "bet-2", roundId: "conflict-stake", playerId: bob, amountMinor: 1_000n },
      { key: "bet-2", roundId: "replay-stake", playerId: alice, amountMinor: 1_000n },
    ]) {
      await expect(wallet.stake(attempt)).rejects.toMatchObject({ code: "IDEMPOTENCY_CONFLICT" });
    }
    expect(await transferCount(context)).toBe(before);
    expect(await wallet.escrowBalance("conflict-stake")).toBe(1_000n);
  });

  it("returns the first settlement when it is replayed, and rejects a different outcome under its key", async () => {
    const { wallet } = context;
    const roundId = "replay-settle";
    await wallet.openRound({ roundId, game: "draws", ownerNodeId: "node-a" });
    await wallet.stake({ key: "s-a", roundId, playerId: alice, amountMinor: 1_000n });
    await wallet.stake({ key: "s-b", roundId, playerId: bob, amountMinor: 1_000n });
    const aliceBefore = (await wallet.balance(alice)).balanceMinor;
    const outcome = { payouts: [{ playerId: alice, amountMinor: 1_900n }], rakeMinor: 100n };

    const first = await wallet.settle({ key: "settle-1", roundId, outcome });
    const replays = await Promise.all([1, 2, 3].map(() => wallet.settle({ key: "settle-1", roundId, outcome })));
    const count = await transferCount(context);

    expect(first.replayed).toBe(false);
    expect(first.transfers.map((transfer) => [transfer.kind, transfer.amountMinor])).toEqual([
      ["payout", 1_900n],
      ["rake", 100n],
    ]);
    for (const replay of replays) {
      expect(replay.replayed).toBe(true);
      expect(replay.transfers.map((transfer) => transfer.id)).toEqual(first.transfers.map((transfer) => transfer.id));
    }
    expect((await wallet.balance(alice)).balanceMinor).toBe(aliceBefore + 1_900n);
    expect(await wallet.escrowBalance(roundId)).toBe(0n);

    await expect(
      wallet.settle({ key: "settle-1", roundId, outcome: { payouts: [{ playerId: bob, amountMinor: 2_000n }] } }),
    ).rejects.toMatchObject({ code: "IDEMPOTENCY_CONFLICT" });
    await expect(wallet.settle({ key: "settle-2", roundId, outcome })).rejects.toMatchObject({ code: "ROUND_CLOSED" });
    await expect(
      wallet.stake({ key: "settle-1", roundId: "replay-stake", playerId: bob, amountMinor: 1n }),
    ).rejects.toMatchObject({ code: "IDEMPOTENCY_CONFLICT" });
    expect(await transferCount(context)).toBe(count);
    expect((await wallet.audit()).ok).toBe(true);
  });

  it("returns the first refund when it is replayed", async () => {
    const { wallet } = context;
    const roundId = "replay-refund";
    await wallet.openRound({ roundId, game: "blackjack", ownerNodeId: "node-a" });
    await wallet.stake({ key: "r-a1", roundId, playerId: alice, amountMinor: 300n });
    await wallet.stake({ key: "r-a2", roundId, playerId: alice, amountMinor: 200n });
    await wallet.stake({ key: "r-b", roundId, playerId: bob, amountMinor: 700n });
    const aliceBefore = (await wallet.balance(alice)).balanceMinor;

    const first = await wallet.refund({ key: "refund-1", roundId });
    const replay = await wallet.refund({ key: "refund-1", roundId });

    expect(first.transfers.map((transfer) => transfer.amountMinor).sort()).toEqual([500n, 700n]);
    expect(replay.replayed).toBe(true);
    expect(replay.transfers.map((transfer) => transfer.id)).toEqual(first.transfers.map((transfer) => transfer.id));
    expect((await wallet.balance(alice)).balanceMinor).toBe(aliceBefore + 500n);
    await expect(wallet.refund({ key: "refund-2", roundId })).rejects.toMatchObject({ code: "ROUND_CLOSED" });
  });
});
