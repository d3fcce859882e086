import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WalletError } from "../../src/wallet/errors.ts";
import { postgresAvailable } from "../support/services.ts";
import { openWalletTestContext, type WalletTestContext } from "./support.ts";

describe.skipIf(!(await postgresAvailable()))("concurrent stakes on one wallet", () => {
  let context: WalletTestContext;

  beforeAll(async () => {
    context = await openWalletTestContext({ poolSize: 8, settings: { startingGrantMinor: 0n } });
  });
  afterAll(async () => {
    await context?.close();
  });

  it("lets exactly 37 of 100 concurrent 1.00 stakes through a 37.00 wallet and rejects the rest as insufficient funds", async () => {
    const { wallet } = context;
    const [playerId] = await context.createPlayers(1);
    await wallet.ensurePlayerWallet(playerId!);
    await wallet.grant({ key: "fund-37", playerId: playerId!, amountMinor: 3_700n });
    await wallet.openRound({ roundId: "table-1:round-1", game: "blackjack", ownerNodeId: "node-a" });

    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, index) =>
        wallet.stake({ key: `stake-${index}`, roundId: "table-1:round-1", playerId: playerId!, amountMinor: 100n }),
      ),
    );

    const accepted = results.filter((result) => result.status === "fulfilled");
    const rejected = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
    expect(accepted).toHaveLength(37);
    expect(rejected).toHaveLength(63);
    for (const reason of rejected) {
      expect(reason).toBeInstanceOf(WalletError);
      expect((reason as WalletError).code).toBe("INSUFFICIENT_FUNDS");
    }
    const balance = await wallet.balance(playerId!);
    expect(balance.balanceMinor).toBe(0n);
    expect(balance.formatted).toBe("0.00 DEMO");
    expect(await wallet.escrowBalance("table-1:round-1")).toBe(3_700n);
    const audit = await wallet.audit();
    expect(audit.checks.filter((check) => !check.ok)).toEqual([]);
    expect(audit.ok).toBe(true);
  });
});
