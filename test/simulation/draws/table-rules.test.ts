import { describe, expect, it } from "vitest";
import {
  type DrawsState,
  isBetweenRounds,
  offerStake,
  pendingAttempt,
  rematch,
  seedRotationDue,
} from "../../../simulation/draws/index.ts";
import { isTie, newMatch, ok, publishedCards, STAKE, searchNonce } from "./helpers.ts";

const stakes = (requestedMinor: bigint | null = null, lastMinor: bigint | null = STAKE) => ({
  requestedMinor,
  fixedMinor: null,
  lastMinor,
});

/** A match whose round 1 is decided at `nonce` and has been settled. */
function settledRound(nonce: number, overrides = {}): DrawsState {
  let state = newMatch(nonce, overrides);
  state = ok(state, { type: "stake", seat: 0, stakeMinor: STAKE });
  state = ok(state, { type: "stake", seat: 1, stakeMinor: STAKE });
  state = ok(state, { type: "draw", seat: 0 });
  state = ok(state, { type: "draw", seat: 1 });
  return ok(state, { type: "settle" });
}

function unwrap<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}

describe("a draws table's rules", () => {
  const decided = searchNonce((n) => !isTie(publishedCards(n)));

  it("a first offer is not a hold; the matching one is, and names the pot", () => {
    const first = unwrap(offerStake(newMatch(decided), 0, STAKE));
    expect(first.stakesHeld).toBe(false);
    const second = unwrap(offerStake(first.state, 1, STAKE));
    expect(second.stakesHeld).toBe(true);
    expect(second.state.phase).toBe("awaiting_draws");
    expect(second.events.find((e) => e.type === "stakesHeld")).toMatchObject({ potMinor: STAKE * 2n });
  });

  it("a rematch after a settled round starts the next round at the last stake; the other's rematch holds it", () => {
    const settled = settledRound(decided);
    const mine = unwrap(rematch(settled, 1, stakes(), true));
    expect(mine.newMatch).toBe(false);
    expect(mine.state.round).toBe(2);
    expect(mine.state.offers).toEqual([null, STAKE]);
    expect(mine.events.map((e) => e.type)).toEqual(["roundStarted", "stakeOffered"]);
    const theirs = unwrap(rematch(mine.state, 0, stakes(null, 5n), true));
    // The offer on the table wins over the last stake.
    expect(theirs.stakesHeld).toBe(true);
    expect(theirs.state.stakeMinor).toBe(STAKE);
  });

  it("a named stake wins over the last one; with none at all the rematch is refused", () => {
    expect(unwrap(rematch(settledRound(decided), 0, stakes(2_000n), true)).state.offers[0]).toBe(2_000n);
    const refused = rematch(newMatch(decided), 0, stakes(null, null), true);
    expect(refused.ok || refused.error.code).toBe("NO_STAKE");
  });

  it("after a finished match a rematch starts a new match on the same seeds, unless the table plays only one", () => {
    const over = settledRound(decided, { maxRounds: 1 });
    expect(over.match.over).toBe(true);
    const next = unwrap(rematch(over, 0, stakes(), true));
    expect(next.newMatch).toBe(true);
    expect(next.state.round).toBe(1);
    expect(next.state.seeds).toEqual(over.seeds);
    expect(next.state.match.over).toBe(false);
    const refused = rematch(over, 0, stakes(), false);
    expect(refused.ok || refused.error.code).toBe("MATCH_OVER");
  });

  it("no rematch while a round is being drawn", () => {
    const held = unwrap(offerStake(unwrap(offerStake(newMatch(decided), 0, STAKE)).state, 1, STAKE)).state;
    const refused = rematch(held, 0, stakes(), true);
    expect(refused.ok || refused.error.code).toBe("WRONG_PHASE");
  });

  it("seeds rotate only between rounds: when asked, and once a match is over", () => {
    const fresh = newMatch(decided);
    const offered = unwrap(offerStake(fresh, 0, STAKE)).state;
    expect([isBetweenRounds(fresh), isBetweenRounds(offered)]).toEqual([true, false]);
    expect(seedRotationDue(fresh, false, false)).toBe(false);
    expect(seedRotationDue(fresh, true, false)).toBe(true);
    expect(seedRotationDue(offered, true, false)).toBe(false);
    const over = settledRound(decided, { maxRounds: 1 });
    expect(seedRotationDue(over, false, false)).toBe(true);
    expect(seedRotationDue(over, false, true)).toBe(false);
  });

  it("the attempt a draw timer waits for changes with every redraw, and lists the seats still to draw", () => {
    const tie = searchNonce((n) => isTie(publishedCards(n)));
    let state = unwrap(offerStake(unwrap(offerStake(newMatch(tie), 0, STAKE)).state, 1, STAKE)).state;
    const first = pendingAttempt(state)!;
    expect(first.undrawn).toEqual([0, 1]);
    state = ok(state, { type: "draw", seat: 1 });
    expect(pendingAttempt(state)).toEqual({ id: first.id, undrawn: [0] });
    state = ok(state, { type: "draw", seat: 0 });
    const redraw = pendingAttempt(state)!;
    expect(redraw.id).not.toBe(first.id);
    expect(redraw.undrawn).toEqual([0, 1]);
    expect(pendingAttempt(newMatch(tie))).toBeNull();
  });
});
