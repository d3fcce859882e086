import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WalletError } from "../../src/wallet/errors.ts";
import { RoundLeaseKeeper } from "../../src/wallet/lease-keeper.ts";
import { postgresAvailable } from "../support/services.ts";
import { waitFor } from "../support/wait.ts";
import { leasesLapsed, openWalletTestContext, type WalletTestContext } from "./support.ts";

const TOPUP_COOLDOWN_S = 1;
/** The lease keeper's test leases, and how long its rounds are watched: two terms. */
const KEEPER_LEASE_MS = 300;
const KEEPER_WINDOW_MS = 2 * KEEPER_LEASE_MS;

describe.skipIf(!(await postgresAvailable()))("round lifecycle", () => {
  let context: WalletTestContext;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    context = await openWalletTestContext({ poolSize: 4, settings: { topUpCooldownSeconds: TOPUP_COOLDOWN_S } });
    [alice, bob] = (await context.createPlayers(2)) as [string, string];
    await context.wallet.ensurePlayerWallet(alice);
    await context.wallet.ensurePlayerWallet(bob);
  });
  afterAll(async () => {
    await context?.close();
  });

  it("rejects a settlement that does not add up to the escrow and leaves the round open", async () => {
    const { wallet } = context;
    await wallet.openRound({ roundId: "mismatch", game: "draws", ownerNodeId: "node-a" });
    await wallet.stake({ key: "m-a", roundId: "mismatch", playerId: alice, amountMinor: 1_000n });
    await wallet.stake({ key: "m-b", roundId: "mismatch", playerId: bob, amountMinor: 1_000n });

    for (const outcome of [
      { payouts: [{ playerId: alice, amountMinor: 1_999n }] },
      { payouts: [{ playerId: alice, amountMinor: 2_000n }], rakeMinor: 1n },
    ]) {
      await expect(wallet.settle({ key: "m-settle", roundId: "mismatch", outcome })).rejects.toMatchObject({
        code: "SETTLEMENT_MISMATCH",
      });
    }
    expect((await wallet.round("mismatch"))!.status).toBe("open");
    expect(await wallet.escrowBalance("mismatch")).toBe(2_000n);
    const settled = await wallet.settle({
      key: "m-settle",
      roundId: "mismatch",
      outcome: { payouts: [{ playerId: alice, amountMinor: 1_900n }], rakeMinor: 100n },
    });
    expect(settled.transfers.map((transfer) => transfer.kind)).toEqual(["payout", "rake"]);
    expect(await wallet.escrowBalance("mismatch")).toBe(0n);
  });

  it("takes no stake once the outcome is recorded, and refuses a stake in a closed or unknown round", async () => {
    const { wallet } = context;
    await wallet.openRound({ roundId: "recorded", game: "draws", ownerNodeId: "node-a" });
    await wallet.stake({ key: "rec-a", roundId: "recorded", playerId: alice, amountMinor: 500n });
    await wallet.recordOutcome({
      key: "rec-settle",
      roundId: "recorded",
      outcome: { payouts: [{ playerId: alice, amountMinor: 500n }] },
    });
    await expect(
      wallet.stake({ key: "rec-late", roundId: "recorded", playerId: bob, amountMinor: 500n }),
    ).rejects.toMatchObject({ code: "ROUND_CLOSED" });
    await expect(wallet.refund({ key: "rec-refund", roundId: "recorded" })).rejects.toMatchObject({
      code: "ROUND_CLOSED",
    });
    await wallet.settle({ key: "rec-settle", roundId: "recorded" });
    await expect(
      wallet.stake({ key: "rec-later", roundId: "recorded", playerId: bob, amountMinor: 500n }),
    ).rejects.toMatchObject({ code: "ROUND_CLOSED" });
    await expect(
      wallet.stake({ key: "nowhere", roundId: "no-such-round", playerId: bob, amountMinor: 500n }),
    ).rejects.toMatchObject({ code: "ROUND_NOT_FOUND" });
  });

  it("lets the house cover a house-banked win so the escrow never goes negative", async () => {
    const { wallet } = context;
    const before = (await wallet.balance(bob)).balanceMinor;
    await wallet.openRound({ roundId: "blackjack-win", game: "blackjack", ownerNodeId: "node-a" });
    await wallet.stake({ key: "bj-bet", roundId: "blackjack-win", playerId: bob, amountMinor: 1_000n });
    // A blackjack pays 3:2: the player gets 25.00 back on a 10.00 bet, the house puts in 15.00.
    const settled = await wallet.settle({
      key: "bj-settle",
      roundId: "blackjack-win",
      outcome: { payouts: [{ playerId: bob, amountMinor: 2_500n }], houseMinor: -1_500n },
    });

    expect(settled.transfers.map((transfer) => [transfer.kind, transfer.amountMinor])).toEqual([
      ["stake", 1_500n],
      ["payout", 2_500n],
    ]);
    expect((await wallet.balance(bob)).balanceMinor).toBe(before + 1_500n);
    expect((await wallet.audit()).ok).toBe(true);
  });

  it("holds tournament entry fees in a prize pool and pays them out as prizes", async () => {
    const { wallet } = context;
    const round = await wallet.openRound({
      roundId: "cup-1",
      game: "pool",
      kind: "tournament",
      ownerNodeId: "node-a",
    });
    expect(round.kind).toBe("tournament");
    const entry = await wallet.stake({ key: "cup-a", roundId: "cup-1", playerId: alice, amountMinor: 1_000n });
    await wallet.stake({ key: "cup-b", roundId: "cup-1", playerId: bob, amountMinor: 1_000n });
    const settled = await wallet.settle({
      key: "cup-prizes",
      roundId: "cup-1",
      outcome: {
        payouts: [
          { playerId: alice, amountMinor: 1_400n },
          { playerId: bob, amountMinor: 400n },
        ],
        rakeMinor: 200n,
      },
    });

    expect(entry.transfer.kind).toBe("entry_fee");
    expect(settled.transfers.map((transfer) => transfer.kind).sort()).toEqual(["prize", "prize", "rake"]);
  });

  it("registers a round once, and refuses the same id for another game or owner", async () => {
    const { wallet } = context;
    const first = await wallet.openRound({ roundId: "twice", game: "draws", ownerNodeId: "node-a" });
    const again = await wallet.openRound({ roundId: "twice", game: "draws", ownerNodeId: "node-a" });
    expect(again.escrowAccountId).toBe(first.escrowAccountId);
    await expect(wallet.openRound({ roundId: "twice", game: "pool", ownerNodeId: "node-a" })).rejects.toMatchObject({
      code: "ROUND_EXISTS",
    });
    await expect(wallet.openRound({ roundId: "twice", game: "draws", ownerNodeId: "node-b" })).rejects.toMatchObject({
      code: "ROUND_EXISTS",
    });
  });

  it("tops up a broke player once per cooldown and never a player above the threshold", async () => {
    const { wallet } = context;
    const [carol] = await context.createPlayers(1);
    await wallet.ensurePlayerWallet(carol!);
    await expect(wallet.topUp({ playerId: carol!, thresholdMinor: 500n })).rejects.toMatchObject({
      code: "TOPUP_NOT_NEEDED",
    });
    await wallet.openRound({ roundId: "broke", game: "draws", ownerNodeId: "node-a" });
    await wallet.stake({ key: "all-in", roundId: "broke", playerId: carol!, amountMinor: 99_900n });

    const results = await Promise.allSettled(
      [1, 2, 3].map(() => wallet.topUp({ playerId: carol!, thresholdMinor: 500n })),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect((await wallet.balance(carol!)).balanceMinor).toBe(100n + 50_000n);
    await wallet.stake({ key: "all-in-again", roundId: "broke", playerId: carol!, amountMinor: 50_000n });
    await expect(wallet.topUp({ playerId: carol!, thresholdMinor: 500n })).rejects.toMatchObject({
      code: "TOPUP_COOLDOWN",
    });
    // Once the cooldown has run out, the next top-up is granted.
    const topUp = await waitFor(
      async () => {
        try {
          return await wallet.topUp({ playerId: carol!, thresholdMinor: 500n });
        } catch (error) {
          if (error instanceof WalletError && error.code === "TOPUP_COOLDOWN") return false;
          throw error;
        }
      },
      "the top-up cooldown to run out",
      TOPUP_COOLDOWN_S * 1000 + 2_000,
      50,
    );
    expect(topUp.transfer.kind).toBe("grant");
    expect(topUp.balanceMinor).toBe(50_100n);
  });

  it("keeps renewing a tracked lease, and reports a round lost only when recovery took it", async () => {
    const { wallet } = context;
    const lost: string[] = [];
    const leaseMs = KEEPER_LEASE_MS;
    const keeper = new RoundLeaseKeeper(wallet, { nodeId: "node-k", leaseMs, onLost: (id) => lost.push(id) });
    await wallet.openRound({ roundId: "kept", game: "draws", ownerNodeId: "node-k", leaseMs });
    await wallet.openRound({ roundId: "closed-in-time", game: "draws", ownerNodeId: "node-k", leaseMs });
    await wallet.openRound({ roundId: "taken", game: "draws", ownerNodeId: "node-k", leaseMs });
    keeper.track("kept");
    keeper.track("closed-in-time");
    keeper.start();
    // Two lease terms, closed by seeing the keeper renew its rounds past them; the untracked round lapses.
    const keptUntil = Date.now() + KEEPER_WINDOW_MS;
    const renewedPast = async (roundId: string) => (await wallet.round(roundId))!.leaseExpiresAt.getTime() > keptUntil;
    await waitFor(
      async () => Date.now() > keptUntil && (await renewedPast("kept")) && (await renewedPast("closed-in-time")),
      "the keeper to renew its rounds past two lease terms",
      KEEPER_WINDOW_MS + 10_000,
      25,
    );
    await leasesLapsed(context.database, ["taken"]);
    expect((await wallet.recoverExpiredRounds()).refunded).toContain("taken");
    keeper.track("taken");
    await wallet.settle({ key: "in-time", roundId: "closed-in-time", outcome: { payouts: [] } });
    await keeper.renewNow();
    await keeper.stop();

    expect((await wallet.round("kept"))!.status).toBe("open");
    expect(keeper.tracked).toEqual(["kept"]);
    expect(lost).toEqual(["taken"]);
  });

  it("recovers the other abandoned rounds when one cannot be closed, and reports that one", async () => {
    const { wallet, database } = context;
    await wallet.openRound({ roundId: "broken", game: "draws", ownerNodeId: "node-dead", leaseMs: 100 });
    await wallet.stake({ key: "broken-a", roundId: "broken", playerId: alice, amountMinor: 100n });
    await wallet.recordOutcome({
      key: "broken-settle",
      roundId: "broken",
      outcome: { payouts: [{ playerId: alice, amountMinor: 100n }] },
    });
    // An outcome edited by hand so that it no longer matches the escrow: recovery must refuse it, not pay it.
    await database.db.execute(
      sql`update wallet_rounds set outcome = jsonb_set(outcome, '{rake_minor}', '"7"') where id = 'broken'`,
    );
    await wallet.openRound({ roundId: "NULL", game: "draws", ownerNodeId: "node-dead", leaseMs: 100 });
    await wallet.stake({ key: "null-a", roundId: "NULL", playerId: bob, amountMinor: 100n });
    expect(await wallet.renewLeases("node-dead", ["NULL"], 100)).toEqual(["NULL"]);
    await leasesLapsed(database, ["broken", "NULL"]);

    const report = await wallet.recoverExpiredRounds();

    expect(report.failed).toEqual([expect.objectContaining({ roundId: "broken", code: "SETTLEMENT_MISMATCH" })]);
    expect(report.refunded).toContain("NULL");
    expect((await wallet.round("broken"))!.status).toBe("open");
    expect(await wallet.escrowBalance("broken")).toBe(100n);
  });
});
