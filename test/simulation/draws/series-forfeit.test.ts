import { describe, expect, it } from "vitest";
import { forfeit, type Seat } from "../../../simulation/draws/index.ts";
import {
  drawToResolution,
  expectRejected,
  isTie,
  newMatch,
  ok,
  publishedCards,
  run,
  STAKE,
  searchNonce,
  staked,
  strength,
} from "./helpers.ts";

/** The seat the rules say wins a decided nonce. */
function winnerAt(nonce: number): Seat | null {
  const cards = publishedCards(nonce);
  if (isTie(cards)) return null;
  return strength(cards[0]) > strength(cards[1]) ? 0 : 1;
}

function playRound(state: ReturnType<typeof newMatch>) {
  return ok(drawToResolution(staked(state)), { type: "settle" });
}

function forfeited(result: ReturnType<typeof forfeit>) {
  if (!result.ok) throw new Error(`forfeit failed: ${result.error.code}`);
  return result.state;
}

describe("best-of-N series", () => {
  it("best of 3 ends when a seat takes 2 rounds, and no further round starts", () => {
    const nonce = searchNonce((n) => winnerAt(n) === 1 && winnerAt(n + 1) === 1);
    const config = { bestOf: 3 };
    const first = playRound(newMatch(nonce, config));
    expect(first.wins).toEqual([0, 1]);
    expect(first.match.over).toBe(false);
    const second = playRound(ok(first, { type: "nextRound" }));
    expect(second.round).toBe(2);
    expect(second.wins).toEqual([0, 2]);
    expect(second.match).toEqual({ over: true, winnerSeat: 1, reason: "series" });
    expectRejected(second, { type: "nextRound" }, "MATCH_OVER");
  });

  it("best of 3 won 2-1 goes the full three rounds, each with its own stake and settlement", () => {
    const nonce = searchNonce((n) => winnerAt(n) === 0 && winnerAt(n + 1) === 1 && winnerAt(n + 2) === 0);
    let state = newMatch(nonce, { bestOf: 3, rakeBps: 0 });
    const stakes = [100n, 2_500n, 700n];
    const pots: bigint[] = [];
    for (const [k, stake] of stakes.entries()) {
      if (k > 0) state = ok(state, { type: "nextRound" });
      state = ok(drawToResolution(staked(state, stake)), { type: "settle" });
      pots.push(state.result!.settlement.potMinor);
      expect(state.result!.attempts[0].nonce).toBe(nonce + k);
    }
    expect(pots).toEqual([200n, 5_000n, 1_400n]);
    expect(state.wins).toEqual([2, 1]);
    expect(state.match).toEqual({ over: true, winnerSeat: 0, reason: "series" });
  });

  it("a pushed round counts for neither seat", () => {
    const nonce = searchNonce((n) => isTie(publishedCards(n)) && winnerAt(n + 1) !== null);
    const pushed = playRound(newMatch(nonce, { bestOf: 1, maxRedraws: 0 }));
    expect(pushed.result!.outcome).toBe("push");
    expect(pushed.match.over).toBe(false);
    const decided = playRound(ok(pushed, { type: "nextRound" }));
    expect(decided.match).toEqual({ over: true, winnerSeat: winnerAt(nonce + 1), reason: "series" });
    expect(decided.pushes).toBe(1);
  });
});

describe("forfeit", () => {
  it("before stakes are held nothing moves, even with one stake offered, and the other seat takes the match", () => {
    for (const start of [newMatch(0), ok(newMatch(0), { type: "stake", seat: 0, stakeMinor: STAKE })]) {
      const state = forfeited(forfeit(start, 0));
      expect(state.phase).toBe("resolved");
      expect(state.result).toMatchObject({ outcome: "forfeit", winnerSeat: 1, forfeitedBy: 0, stakesHeld: false });
      expect(state.result!.settlement).toEqual({
        potMinor: 0n,
        rakeMinor: 0n,
        seats: [
          { seat: 0, stakeMinor: 0n, payoutMinor: 0n, netMinor: 0n },
          { seat: 1, stakeMinor: 0n, payoutMinor: 0n, netMinor: 0n },
        ],
      });
      expect(state.wins).toEqual([0, 0]);
      expect(state.match).toEqual({ over: true, winnerSeat: 1, reason: "forfeit" });
      expectRejected(ok(state, { type: "settle" }), { type: "nextRound" }, "MATCH_OVER");
    }
  });

  it("with stakes held the other seat takes the pot less rake (forfeitPaysRake), even after cards were drawn", () => {
    const held = ok(staked(newMatch(0, { rakeBps: 500, forfeitPaysRake: true }), 1_010n), { type: "draw", seat: 1 });
    const state = forfeited(forfeit(held, 1));
    const rake = (2_020n * 500n) / 10_000n; // 101
    expect(state.result!.settlement).toEqual({
      potMinor: 2_020n,
      rakeMinor: rake,
      seats: [
        { seat: 0, stakeMinor: 1_010n, payoutMinor: 2_020n - rake, netMinor: 1_010n - rake },
        { seat: 1, stakeMinor: 1_010n, payoutMinor: 0n, netMinor: -1_010n },
      ],
    });
    expect(state.wins).toEqual([1, 0]);
    expect(state.match).toEqual({ over: true, winnerSeat: 0, reason: "forfeit" });
  });

  it("with forfeitPaysRake off the other seat takes the whole pot", () => {
    const held = staked(newMatch(0, { rakeBps: 500, forfeitPaysRake: false }), 1_010n);
    const state = forfeited(forfeit(held, 0));
    expect(state.result!.settlement.rakeMinor).toBe(0n);
    expect(state.result!.settlement.seats[1].payoutMinor).toBe(2_020n);
  });

  it("after a resolved round the result stands and only the match ends; in a series the other seat takes it", () => {
    const nonce = searchNonce((n) => winnerAt(n) === 0);
    const resolved = drawToResolution(staked(newMatch(nonce, { bestOf: 5 })));
    const state = forfeited(forfeit(resolved, 1));
    expect(state.result).toEqual(resolved.result);
    expect(state.phase).toBe("resolved");
    expect(state.match).toEqual({ over: true, winnerSeat: 0, reason: "forfeit" });

    const settled = ok(resolved, { type: "settle" });
    const leftAfterWinning = forfeited(forfeit(settled, 0));
    expect(leftAfterWinning.result).toEqual(settled.result);
    expect(leftAfterWinning.match).toEqual({ over: true, winnerSeat: 1, reason: "forfeit" });
  });

  it("once the match is over there is nothing to forfeit", () => {
    const over = forfeited(forfeit(newMatch(0), 0));
    expectRejected(over, { type: "forfeit", seat: 1 }, "MATCH_OVER");
    expectRejected(over, { type: "forfeit", seat: 0 }, "MATCH_OVER");
  });

  it("forfeit(state, seat) is the forfeit action", () => {
    const held = staked(newMatch(3));
    expect(forfeited(forfeit(held, 1))).toEqual(run(held, { type: "forfeit", seat: 1 }));
  });
});
