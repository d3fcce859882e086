import { describe, expect, it } from "vitest";
import { BPS_PER_WHOLE, houseShare, rakeForPot, splitPot } from "../../../simulation/money/pot.ts";
import { seededUniform } from "../../../simulation/rng/index.ts";

const SEED = Number(process.env.SEED ?? Date.now() % 1_000_000);
const CASES = 20_000;

/** A minor-unit amount spread over many magnitudes, up to 10^15 (the ledger's limit for one stake). */
function amount(random: () => number): bigint {
  const digits = 1 + Math.floor(random() * 15);
  let value = 0n;
  for (let i = 0; i < digits; i++) value = value * 10n + BigInt(Math.floor(random() * 10));
  return value;
}

describe("one pot function for every game", () => {
  it(`${CASES} generated pots: rake is floor(pot * bps / 10000) capped, and payout + rake is the pot exactly`, () => {
    console.log(`pot seed ${SEED}`);
    const random = seededUniform(SEED);
    for (let i = 0; i < CASES; i++) {
      const stakes = Array.from({ length: 1 + Math.floor(random() * 8) }, () => amount(random));
      const rakeBps = random() < 0.1 ? BPS_PER_WHOLE : Math.floor(random() * 2_001);
      const rakeCapMinor = random() < 0.5 ? null : amount(random);
      const withRake = random() < 0.9;
      const split = splitPot(stakes, { rakeBps, rakeCapMinor }, withRake);
      const pot = stakes.reduce((sum, stake) => sum + stake, 0n);
      // The formula re-derived with division and remainder, not with the code's own expression.
      const exact = pot * BigInt(rakeBps);
      const floor = (exact - (exact % 10_000n)) / 10_000n;
      const rake = !withRake ? 0n : rakeCapMinor !== null && floor > rakeCapMinor ? rakeCapMinor : floor;
      const ok =
        split.potMinor === pot &&
        split.rakeMinor === rake &&
        split.payoutMinor + split.rakeMinor === pot &&
        split.payoutMinor >= 0n &&
        split.rakeMinor * 10_000n <= pot * BigInt(rakeBps);
      if (!ok) expect({ seed: SEED, case: i, stakes, rakeBps, rakeCapMinor, withRake, split }).toEqual({ rake });
    }
  });

  it("rounds in the players' favour at the edges of a minor unit", () => {
    expect(rakeForPot(39n, { rakeBps: 500, rakeCapMinor: null })).toBe(1n);
    expect(rakeForPot(19n, { rakeBps: 500, rakeCapMinor: null })).toBe(0n);
    expect(rakeForPot(40n, { rakeBps: 500, rakeCapMinor: null })).toBe(2n);
    expect(splitPot([1_000n, 1_000n], { rakeBps: 500, rakeCapMinor: 50n })).toEqual({
      potMinor: 2_000n,
      rakeMinor: 50n,
      payoutMinor: 1_950n,
    });
  });

  it("refuses what no pot can be: a negative stake, a rate outside 0..10000 bps, a negative cap", () => {
    expect(() => splitPot([5n, -1n], { rakeBps: 500, rakeCapMinor: null })).toThrow(RangeError);
    expect(() => rakeForPot(10n, { rakeBps: 10_001, rakeCapMinor: null })).toThrow(RangeError);
    expect(() => rakeForPot(10n, { rakeBps: 2.5, rakeCapMinor: null })).toThrow(RangeError);
    expect(() => rakeForPot(10n, { rakeBps: 5, rakeCapMinor: -1n })).toThrow(RangeError);
  });

  it("a banked game: the house keeps what was lost and pays what was won", () => {
    const random = seededUniform(SEED + 1);
    for (let i = 0; i < 1_000; i++) {
      const staked = amount(random);
      const returned = amount(random);
      expect(houseShare(staked, returned) + returned).toBe(staked);
    }
  });
});
