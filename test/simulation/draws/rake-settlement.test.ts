import { describe, expect, it } from "vitest";
import {
  MAX_STAKE_LIMIT_MINOR,
  rakeForPot,
  type Seat,
  settlePush,
  settleWin,
} from "../../../simulation/draws/index.ts";
import { drawToResolution, isTie, newMatch, publishedCards, searchNonce, staked } from "./helpers.ts";

const RATES_BPS = [0, 1, 250, 333, 500, 1_000, 10_000];
const CAPS_MINOR: (bigint | null)[] = [null, 0n, 1n, 7n, 50n, 1_000n];

/** The published formula in plain numbers: floor(pot * bps / 10000), then the cap. Exact below 2^53. */
function expectedRake(potMinor: number, rakeBps: number, capMinor: bigint | null): number {
  const uncapped = Math.floor((potMinor * rakeBps) / 10_000);
  return capMinor === null ? uncapped : Math.min(uncapped, Number(capMinor));
}

describe("rake never creates or destroys a minor unit", () => {
  it("every stake 1..10000 at several rates and caps: rake is floor(pot*bps/10000) capped, payouts + rake == pot", () => {
    for (const rakeBps of RATES_BPS) {
      for (const rakeCapMinor of CAPS_MINOR) {
        for (let stake = 1; stake <= 10_000; stake++) {
          const stakeMinor = BigInt(stake);
          const winner: Seat = stake % 2 === 0 ? 0 : 1;
          const s = settleWin(winner, stakeMinor, { rakeBps, rakeCapMinor });
          const rake = expectedRake(2 * stake, rakeBps, rakeCapMinor);
          if (
            s.potMinor !== BigInt(2 * stake) ||
            s.rakeMinor !== BigInt(rake) ||
            s.seats[0].payoutMinor + s.seats[1].payoutMinor + s.rakeMinor !== s.potMinor ||
            s.seats[winner].payoutMinor !== BigInt(2 * stake - rake) ||
            s.seats[1 - winner].payoutMinor !== 0n ||
            s.seats[0].stakeMinor !== stakeMinor ||
            s.seats[1].stakeMinor !== stakeMinor
          ) {
            // One readable failure instead of 420,000 expect calls.
            expect({ stake, rakeBps, rakeCapMinor, settlement: s }).toEqual({ stake, rakeBps, rakeCapMinor, rake });
          }
        }
      }
    }
  });

  it("rounds down: a 5% rake on a pot of 39 is 1, on 19 is 0", () => {
    expect(rakeForPot(39n, { rakeBps: 500, rakeCapMinor: null })).toBe(1n);
    expect(rakeForPot(19n, { rakeBps: 500, rakeCapMinor: null })).toBe(0n);
    expect(rakeForPot(40n, { rakeBps: 500, rakeCapMinor: null })).toBe(2n);
  });

  it("holds at the largest stake the config allows", () => {
    const s = settleWin(1, MAX_STAKE_LIMIT_MINOR, { rakeBps: 333, rakeCapMinor: null });
    expect(s.rakeMinor).toBe((2n * MAX_STAKE_LIMIT_MINOR * 333n) / 10_000n);
    expect(s.seats[1].payoutMinor + s.rakeMinor).toBe(2n * MAX_STAKE_LIMIT_MINOR);
  });

  it("net amounts sum to minus the rake: the winner gains stake - rake, the loser loses the stake", () => {
    const s = settleWin(0, 1_234n, { rakeBps: 500, rakeCapMinor: null });
    expect(s.rakeMinor).toBe(123n); // floor(2468 * 0.05) = floor(123.4)
    expect(s.seats[0].netMinor).toBe(1_234n - 123n);
    expect(s.seats[1].netMinor).toBe(-1_234n);
  });

  it("a push refunds each stake and takes no rake", () => {
    expect(settlePush(777n)).toEqual({
      potMinor: 1_554n,
      rakeMinor: 0n,
      seats: [
        { seat: 0, stakeMinor: 777n, payoutMinor: 777n, netMinor: 0n },
        { seat: 1, stakeMinor: 777n, payoutMinor: 777n, netMinor: 0n },
      ],
    });
  });
});

describe("the engine's round settlement follows the same formula", () => {
  it("a played round pays the higher card pot - floor(pot*bps/10000), capped", () => {
    const nonce = searchNonce((n) => !isTie(publishedCards(n)));
    for (const [stake, rakeBps, cap] of [
      [101, 500, null],
      [99_999, 250, 1_000n],
      [100, 10_000, null],
      [555, 0, null],
    ] as const) {
      const state = drawToResolution(
        staked(newMatch(nonce, { rakeBps, rakeCapMinor: cap, maxStakeMinor: 100_000n }), BigInt(stake)),
      );
      const rake = expectedRake(2 * stake, rakeBps, cap);
      const winner = state.result!.winnerSeat!;
      expect(state.result!.settlement.rakeMinor).toBe(BigInt(rake));
      expect(state.result!.settlement.seats[winner].payoutMinor).toBe(BigInt(2 * stake - rake));
      expect(state.result!.settlement.seats[1 - winner].payoutMinor).toBe(0n);
    }
  });
});
