import { describe, expect, it } from "vitest";
import { cardToString } from "../../../simulation/cards/index.ts";
import { createDrawsMatch, type DrawsState, drawsConfig, type RoundResult } from "../../../simulation/draws/index.ts";
import { createSeedState, recomputeDraw } from "../../../simulation/rng/index.ts";
import { CLIENT_SEED, OTHER_SERVER_SEED, run, SERVER_SEED, STAKE } from "./helpers.ts";

const ROUNDS_PER_MATCH = 10_000;
/** One deck without replacement: whatever the first card, 3 of the 51 left share its rank. */
const TIE_PROBABILITY = 3 / 51;
const STANDARD_ERRORS = 4;

/** A whole match of single-attempt rounds (no redraws), so every round is one draw: 10,000 draws per seed. */
function playMatch(serverSeed: string): { results: RoundResult[]; final: DrawsState } {
  const config = drawsConfig({ maxRedraws: 0, maxRounds: ROUNDS_PER_MATCH });
  let state = createDrawsMatch(config, createSeedState(serverSeed, CLIENT_SEED));
  const results: RoundResult[] = [];
  for (let round = 1; round <= ROUNDS_PER_MATCH; round++) {
    state = run(
      state,
      { type: "stake", seat: 0, stakeMinor: STAKE },
      { type: "stake", seat: 1, stakeMinor: STAKE },
      { type: "draw", seat: 0 },
      { type: "draw", seat: 1 },
      { type: "settle" },
    );
    results.push(state.result!);
    if (round < ROUNDS_PER_MATCH) state = run(state, { type: "nextRound" });
  }
  return { results, final: state };
}

describe("20,000 draws from distinct seeds", () => {
  const matches = [SERVER_SEED, OTHER_SERVER_SEED].map((serverSeed) => ({ serverSeed, ...playMatch(serverSeed) }));
  const results = matches.flatMap((m) => m.results);

  it("each draw took its own nonce and recomputes from the revealed seeds with recomputeDraw", () => {
    expect(results).toHaveLength(20_000);
    for (const { serverSeed, results: played } of matches) {
      played.forEach((result, index) => {
        const [attempt] = result.attempts;
        expect(attempt.nonce).toBe(index);
        const recomputed = recomputeDraw({ serverSeed, clientSeed: attempt.clientSeed, nonce: attempt.nonce }, 2, 1);
        if (attempt.cards[0] !== recomputed[0] || attempt.cards[1] !== recomputed[1]) {
          expect({ serverSeed, nonce: attempt.nonce, cards: attempt.cards }).toEqual({
            serverSeed,
            nonce: attempt.nonce,
            cards: recomputed,
          });
        }
      });
    }
  });

  it(`the tie rate is 3/51 within ${STANDARD_ERRORS} standard errors`, () => {
    const ties = results.filter((r) => r.outcome === "push").length;
    const rate = ties / results.length;
    const bound = STANDARD_ERRORS * Math.sqrt((TIE_PROBABILITY * (1 - TIE_PROBABILITY)) / results.length);
    expect(Math.abs(rate - TIE_PROBABILITY)).toBeLessThan(bound);
    const sameRank = results.filter((r) => {
      const [a, b] = r.attempts[0].cards;
      return cardToString(a!)[0] === cardToString(b!)[0];
    });
    expect(sameRank).toEqual(results.filter((r) => r.outcome === "push"));
  });

  it(`each seat wins 50% of decided rounds within ${STANDARD_ERRORS} standard errors`, () => {
    const decided = results.filter((r) => r.outcome === "win");
    const seat0 = decided.filter((r) => r.winnerSeat === 0).length / decided.length;
    const bound = STANDARD_ERRORS * Math.sqrt(0.25 / decided.length);
    expect(Math.abs(seat0 - 0.5)).toBeLessThan(bound);
    expect(Math.abs(1 - seat0 - 0.5)).toBeLessThan(bound);
  });

  it(`each rank reaches each seat 1/13 of the time within ${STANDARD_ERRORS} standard errors`, () => {
    const p = 1 / 13;
    const bound = STANDARD_ERRORS * Math.sqrt((p * (1 - p)) / results.length);
    for (const seat of [0, 1] as const) {
      const counts = new Map<string, number>();
      for (const r of results) {
        const rank = cardToString(r.attempts[0].cards[seat]!)[0];
        counts.set(rank, (counts.get(rank) ?? 0) + 1);
      }
      expect(counts.size).toBe(13);
      for (const count of counts.values()) expect(Math.abs(count / results.length - p)).toBeLessThan(bound);
    }
  });

  it("the match ends at maxRounds with no winner, and money balances over every round", () => {
    for (const { final } of matches) {
      expect(final.match).toEqual({ over: true, winnerSeat: null, reason: "maxRounds" });
      expect(final.wins[0] + final.wins[1] + final.pushes).toBe(ROUNDS_PER_MATCH);
    }
    let rakeMinor = 0n;
    let netMinor = 0n;
    for (const r of results) {
      rakeMinor += r.settlement.rakeMinor;
      netMinor += r.settlement.seats[0].netMinor + r.settlement.seats[1].netMinor;
    }
    expect(netMinor).toBe(-rakeMinor); // the players lost together exactly what the house took
  });
});
