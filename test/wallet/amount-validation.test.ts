import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatMinor, MAX_AMOUNT_MINOR, parseAmountMinor } from "../../src/wallet/amount.ts";
import { WalletError } from "../../src/wallet/errors.ts";
import { postgresAvailable } from "../support/services.ts";
import { openWalletTestContext, type WalletTestContext } from "./support.ts";

const BAD_AMOUNTS: Array<[string, unknown]> = [
  ["zero", 0],
  ["zero bigint", 0n],
  ["negative", -5],
  ["negative bigint", -5n],
  ["fractional", 1.5],
  ["NaN", Number.NaN],
  ["Infinity", Number.POSITIVE_INFINITY],
  ["a number beyond 2^53", 2 ** 53],
  ["a bigint beyond the per-transfer maximum", MAX_AMOUNT_MINOR + 1n],
  ["a decimal string", "1.50"],
  ["an exponent string", "1e3"],
  ["a signed string", "-100"],
  ["a padded string", " 100"],
  ["an empty string", ""],
  ["a word", "ten"],
  ["a zero string", "0"],
  ["null", null],
  ["undefined", undefined],
  ["an object", { amount: 1 }],
];

describe("amount validation", () => {
  it.each(BAD_AMOUNTS)("rejects %s as BAD_AMOUNT", (_name, value) => {
    let caught: unknown;
    try {
      parseAmountMinor(value);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(WalletError);
    expect((caught as WalletError).code).toBe("BAD_AMOUNT");
  });

  it("accepts whole positive minor units as bigint, safe integer or digit string", () => {
    expect(parseAmountMinor(1n)).toBe(1n);
    expect(parseAmountMinor(999_999_999_999_999)).toBe(999_999_999_999_999n);
    expect(parseAmountMinor("123456")).toBe(123_456n);
    expect(parseAmountMinor(MAX_AMOUNT_MINOR)).toBe(MAX_AMOUNT_MINOR);
  });

  it("formats minor units with the currency's scale and thousands separators", () => {
    expect(formatMinor(123_456n, { currency: "DEMO", currencyScale: 2 })).toBe("1,234.56 DEMO");
    expect(formatMinor(5n, { currency: "DEMO", currencyScale: 2 })).toBe("0.05 DEMO");
    expect(formatMinor(-100_000_000n, { currency: "DEMO", currencyScale: 2 })).toBe("-1,000,000.00 DEMO");
    expect(formatMinor(1_234_567n, { currency: "CHIP", currencyScale: 0 })).toBe("1,234,567 CHIP");
    expect(formatMinor(1n, { currency: "DEMO", currencyScale: 3 })).toBe("0.001 DEMO");
  });
});

describe.skipIf(!(await postgresAvailable()))("bad amounts at the service", () => {
  let context: WalletTestContext;
  beforeAll(async () => {
    context = await openWalletTestContext({ poolSize: 2 });
  });
  afterAll(async () => {
    await context?.close();
  });

  it("rejects every bad amount for grants, stakes and settlements and writes nothing", async () => {
    const { wallet } = context;
    const [playerId] = await context.createPlayers(1);
    await wallet.ensurePlayerWallet(playerId!);
    await wallet.openRound({ roundId: "bad-amounts", game: "draws", ownerNodeId: "node-a" });
    await wallet.stake({ key: "good", roundId: "bad-amounts", playerId: playerId!, amountMinor: 100n });
    const count = async () =>
      (await context.database.db.execute<{ n: number }>(sql`select count(*)::int as n from wallet_transfers`)).rows[0]!
        .n;
    const before = await count();

    for (const [name, value] of BAD_AMOUNTS) {
      const key = `bad-${name.replace(/[^a-z0-9]/gi, "-")}`;
      const amountMinor = value as bigint;
      await expect(
        wallet.stake({ key, roundId: "bad-amounts", playerId: playerId!, amountMinor }),
      ).rejects.toMatchObject({
        code: "BAD_AMOUNT",
      });
      await expect(wallet.grant({ key, playerId: playerId!, amountMinor })).rejects.toMatchObject({
        code: "BAD_AMOUNT",
      });
    }
    for (const amountMinor of [-100, 1.5, "x", Number.NaN]) {
      await expect(
        wallet.settle({
          key: "bad-settle",
          roundId: "bad-amounts",
          outcome: { payouts: [{ playerId: playerId!, amountMinor }] },
        }),
      ).rejects.toMatchObject({ code: "BAD_AMOUNT" });
    }
    expect(await count()).toBe(before);
    expect((await wallet.balance(playerId!)).balanceMinor).toBe(99_900n);
  });
});
