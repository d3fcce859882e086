import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEASE_MS_MIN, Wallet } from "../../src/wallet/wallet.ts";
import { postgresAvailable } from "../support/services.ts";
import { waitFor } from "../support/wait.ts";
import { openWalletTestContext, TEST_WALLET_SETTINGS, type WalletTestContext } from "../wallet/support.ts";

// The wallet's own lines for what the games do not drive: recovery closing a dead node's rounds, a top-up, a
// refusal. Each must carry the ids of the ledger rows it tells.

const hasPostgres = await postgresAvailable();

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

describe.skipIf(!hasPostgres)("wallet log lines", () => {
  let context: WalletTestContext;
  const lines: LogLine[] = [];
  let wallet: Wallet;
  beforeAll(async () => {
    context = await openWalletTestContext({ settings: { topUpMinor: 5_000n } });
    const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line) as LogLine) });
    wallet = new Wallet(context.database.db, { ...TEST_WALLET_SETTINGS, topUpMinor: 5_000n }, logger);
  });
  afterAll(async () => {
    await context?.close();
  });

  it("recovery logs each round it closes and every transfer it posts, with the ledger's ids", async () => {
    const [ann, bob] = await context.createPlayers(2);
    await wallet.ensurePlayerWallet(ann!);
    await wallet.ensurePlayerWallet(bob!);
    // Two rounds of a node that then dies: one with its outcome recorded (recovery settles it), one without (refunds).
    const settledId = `draws:dead-node-room:${Date.now()}`;
    const refundedId = `blackjack:dead-node-table:${Date.now()}`;
    for (const roundId of [settledId, refundedId]) {
      await wallet.openRound({
        roundId,
        game: roundId.split(":")[0]!,
        ownerNodeId: "dead-node",
        leaseMs: LEASE_MS_MIN,
      });
      await wallet.stake({ key: `${roundId}:a`, roundId, playerId: ann!, amountMinor: 700n });
      await wallet.stake({ key: `${roundId}:b`, roundId, playerId: bob!, amountMinor: 700n });
    }
    await wallet.recordOutcome({
      key: `${settledId}:settle`,
      roundId: settledId,
      outcome: { payouts: [{ playerId: bob!, amountMinor: 1_330n }], rakeMinor: 70n },
    });

    // A fresh process's wallet: it never saw these rounds opened, so what it logs comes from the ledger alone.
    const recovering: LogLine[] = [];
    const recoveryLogger = pino({ level: "info" }, { write: (line: string) => recovering.push(JSON.parse(line)) });
    const recoveryWallet = new Wallet(context.database.db, TEST_WALLET_SETTINGS, recoveryLogger);
    const closed = new Set<string>();
    await waitFor(
      async () => {
        const report = await recoveryWallet.recoverExpiredRounds();
        for (const id of [...report.settled, ...report.refunded]) closed.add(id);
        return closed.has(settledId) && closed.has(refundedId);
      },
      "recovery to close both rounds once their leases lapse",
      10_000,
    );
    expect([...closed]).toEqual(expect.arrayContaining([settledId, refundedId]));

    const ledgers = [
      ...(await wallet.ledger(ann!, { limit: 100 })).transfers,
      ...(await wallet.ledger(bob!, { limit: 100 })).transfers,
    ];
    for (const [roundId, action, kinds] of [
      [settledId, "settled", ["payout", "rake"]],
      [refundedId, "refunded", ["refund", "refund"]],
    ] as const) {
      const line = recovering.find((l) => l.msg === `round recovered: ${action}` && l.roundId === roundId);
      expect(line, roundId).toMatchObject({ level: 30, game: roundId.split(":")[0], action });
      const ids = line!.transferIds as string[];
      const legs = ids.map((id) => recovering.find((l) => l.msg === "money moved" && l.transferId === id));
      expect(legs.map((leg) => leg?.kind).sort()).toEqual([...kinds].sort());
      for (const leg of legs) expect(leg).toMatchObject({ op: "recovery", roundId });
      // Every player-side row of the round's closing is one of those lines, amount and player included.
      for (const row of ledgers.filter((t) => t.roundId === roundId && t.kind !== "stake")) {
        expect(legs.find((leg) => leg?.transferId === row.id.toString())).toMatchObject({
          amountMinor: row.amountMinor.toString(),
          playerId: row.playerId,
        });
      }
    }
  });

  it("a top-up is a money movement; a refused one and a refused stake are debug lines naming the ids", async () => {
    const [cara] = await context.createPlayers(1);
    lines.length = 0;
    await wallet.ensurePlayerWallet(cara!);
    const roundId = `draws:broke-room:${Date.now()}`;
    await wallet.openRound({ roundId, game: "draws", ownerNodeId: "this-node" });
    await wallet.stake({ key: `${roundId}:all`, roundId, playerId: cara!, amountMinor: 100_000n });
    const topUp = await wallet.topUp({ playerId: cara!, thresholdMinor: 100n });
    await expect(wallet.topUp({ playerId: cara!, thresholdMinor: 100_000_000n })).rejects.toMatchObject({
      code: "TOPUP_COOLDOWN",
    });
    await expect(
      wallet.stake({ key: `${roundId}:more`, roundId, playerId: cara!, amountMinor: 9_000n }),
    ).rejects.toMatchObject({ code: "INSUFFICIENT_FUNDS" });

    expect(lines.find((l) => l.msg === "money moved" && l.op === "top-up")).toMatchObject({
      level: 30,
      transferId: topUp.transfer.id.toString(),
      kind: "grant",
      amountMinor: "5000",
      playerId: cara,
      balanceMinor: "5000",
    });
    expect(lines.find((l) => l.msg === "wallet refused" && l.op === "top-up")).toMatchObject({
      level: 20,
      playerId: cara,
      code: "TOPUP_COOLDOWN",
    });
    expect(lines.find((l) => l.msg === "wallet refused" && l.op === "stake")).toMatchObject({
      level: 20,
      playerId: cara,
      roundId,
      amountMinor: "9000",
      key: `${roundId}:more`,
      code: "INSUFFICIENT_FUNDS",
    });
    // A refusal moves nothing, so it is never an info line.
    expect(lines.filter((l) => l.level >= 30 && l.msg !== "money moved" && l.msg !== "round opened")).toEqual([]);
  });
});
