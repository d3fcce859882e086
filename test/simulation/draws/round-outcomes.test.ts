import { describe, expect, it } from "vitest";
import { cardToString } from "../../../simulation/cards/index.ts";
import { createDrawsMatch, type DrawsState, drawsConfig } from "../../../simulation/draws/index.ts";
import { createSeedState, recomputeDraw } from "../../../simulation/rng/index.ts";
import {
  CLIENT_SEED,
  drawToResolution,
  isTie,
  newMatch,
  okResult,
  publishedCards,
  run,
  SERVER_SEED,
  STAKE,
  searchNonce,
  staked,
  strength,
} from "./helpers.ts";

function expectEveryAttemptRecomputes(state: DrawsState): void {
  for (const attempt of state.result!.attempts) {
    const seeds = { serverSeed: SERVER_SEED, clientSeed: attempt.clientSeed, nonce: attempt.nonce };
    expect(attempt.cards).toEqual(recomputeDraw(seeds, 2, 1));
  }
}

describe("the higher card takes the pot", () => {
  it("ace beats king: seat 0 holding an ace against a king wins", () => {
    const nonce = searchNonce((n) => {
      const [a, b] = publishedCards(n);
      return cardToString(a)[0] === "A" && cardToString(b)[0] === "K";
    });
    const state = drawToResolution(staked(newMatch(nonce)));
    expect(state.result!.outcome).toBe("win");
    expect(state.result!.winnerSeat).toBe(0);
    expect(state.result!.attempts).toHaveLength(1);
    expect(state.result!.attempts[0].nonce).toBe(nonce);
    expectEveryAttemptRecomputes(state);
  });

  it("ace beats two from the other side: seat 1 holding an ace against a two wins", () => {
    const nonce = searchNonce((n) => {
      const [a, b] = publishedCards(n);
      return cardToString(a)[0] === "2" && cardToString(b)[0] === "A";
    });
    const state = drawToResolution(staked(newMatch(nonce)));
    expect(state.result!.winnerSeat).toBe(1);
  });

  it("for the first 300 decided nonces the winner is the seat with the higher rank, ace high", () => {
    let checked = 0;
    for (let nonce = 0; checked < 300; nonce++) {
      const cards = publishedCards(nonce);
      if (isTie(cards)) continue;
      const state = drawToResolution(staked(newMatch(nonce, { maxRedraws: 0 })));
      expect(state.result!.winnerSeat).toBe(strength(cards[0]) > strength(cards[1]) ? 0 : 1);
      expect(state.result!.attempts[0].cards).toEqual(cards);
      checked += 1;
    }
  });

  it("the cards do not depend on which seat presses first", () => {
    const nonce = 7;
    const seat0First = run(
      staked(newMatch(nonce, { maxRedraws: 0 })),
      { type: "draw", seat: 0 },
      { type: "draw", seat: 1 },
    );
    const seat1First = run(
      staked(newMatch(nonce, { maxRedraws: 0 })),
      { type: "draw", seat: 1 },
      { type: "draw", seat: 0 },
    );
    expect(seat1First.result!.attempts[0].cards).toEqual(seat0First.result!.attempts[0].cards);
    expect(seat0First.result!.attempts[0].cards).toEqual(publishedCards(nonce));
  });

  it("a draw made by the room after a timeout is the same card, flagged auto", () => {
    const nonce = 11;
    const held = staked(newMatch(nonce, { maxRedraws: 0 }));
    const { state, events } = okResult(held, { type: "draw", seat: 1, auto: true });
    expect(state.attempts[0].cards).toEqual([null, publishedCards(nonce)[1]]);
    expect(state.attempts[0].auto).toEqual([false, true]);
    expect(events).toContainEqual({
      type: "cardDrawn",
      seat: 1,
      card: publishedCards(nonce)[1],
      attempt: 0,
      nonce,
      auto: true,
    });
  });
});

describe("ties redraw with the next nonce, then push", () => {
  it("a tie on rank (whatever the suits) redraws from the next nonce and that attempt decides", () => {
    const nonce = searchNonce((n) => isTie(publishedCards(n)) && !isTie(publishedCards(n + 1)));
    const held = staked(newMatch(nonce));
    const afterTie = run(held, { type: "draw", seat: 0 }, { type: "draw", seat: 1 });
    expect(afterTie.phase).toBe("awaiting_draws");
    expect(afterTie.attempts.map((a) => a.nonce)).toEqual([nonce, nonce + 1]);
    expect(afterTie.attempts[1].cards).toEqual([null, null]);
    const state = drawToResolution(afterTie);
    const decider = publishedCards(nonce + 1);
    expect(state.result!.outcome).toBe("win");
    expect(state.result!.winnerSeat).toBe(strength(decider[0]) > strength(decider[1]) ? 0 : 1);
    expect(state.seeds.nonce).toBe(nonce + 2);
    expectEveryAttemptRecomputes(state);
  });

  it("with 3 redraws, four ties in a row are a push that refunds both stakes with no rake", () => {
    const nonce = searchNonce((n) => [0, 1, 2, 3].every((k) => isTie(publishedCards(n + k))));
    const state = drawToResolution(staked(newMatch(nonce, { maxRedraws: 3, rakeBps: 500 })));
    expect(state.result!.outcome).toBe("push");
    expect(state.result!.winnerSeat).toBeNull();
    expect(state.result!.attempts.map((a) => a.nonce)).toEqual([nonce, nonce + 1, nonce + 2, nonce + 3]);
    expect(state.result!.settlement).toEqual({
      potMinor: 2n * STAKE,
      rakeMinor: 0n,
      seats: [
        { seat: 0, stakeMinor: STAKE, payoutMinor: STAKE, netMinor: 0n },
        { seat: 1, stakeMinor: STAKE, payoutMinor: STAKE, netMinor: 0n },
      ],
    });
    expect(state.pushes).toBe(1);
    expect(state.wins).toEqual([0, 0]);
    expectEveryAttemptRecomputes(state);
  });

  it("with 3 redraws, three ties then a decided attempt is a win, not a push", () => {
    const nonce = searchNonce(
      (n) => [0, 1, 2].every((k) => isTie(publishedCards(n + k))) && !isTie(publishedCards(n + 3)),
    );
    const state = drawToResolution(staked(newMatch(nonce, { maxRedraws: 3 })));
    expect(state.result!.outcome).toBe("win");
    expect(state.result!.attempts).toHaveLength(4);
  });

  it("with 1 redraw, two ties are a push; with 0 redraws one tie is", () => {
    const twoTies = searchNonce((n) => isTie(publishedCards(n)) && isTie(publishedCards(n + 1)));
    const pushed = drawToResolution(staked(newMatch(twoTies, { maxRedraws: 1 })));
    expect(pushed.result!.outcome).toBe("push");
    expect(pushed.result!.attempts).toHaveLength(2);

    const oneTie = searchNonce((n) => isTie(publishedCards(n)));
    const pushedAtOnce = drawToResolution(staked(newMatch(oneTie, { maxRedraws: 0 })));
    expect(pushedAtOnce.result!.outcome).toBe("push");
    expect(pushedAtOnce.result!.attempts).toHaveLength(1);
  });

  it("the searched seeds are what the verifier would be asked for", () => {
    expect(CLIENT_SEED).toMatch(/^[A-Za-z0-9_-]+$/);
    const nonce = searchNonce((n) => isTie(publishedCards(n)));
    const [a, b] = publishedCards(nonce);
    expect(cardToString(a)[0]).toBe(cardToString(b)[0]);
    expect(a).not.toBe(b); // one deck without replacement: a tie is two different suits
  });
});

describe("the worked example in docs/draws.md", () => {
  it("alice at nonce 38 ties 3s against 3h, redraws at 39 with 6h against 4d, and seat 0 is paid 1,900 of 2,000", () => {
    const seeds = { ...createSeedState(SERVER_SEED, "alice"), nonce: 38 };
    const held = run(
      createDrawsMatch(drawsConfig({ rakeBps: 500 }), seeds),
      { type: "stake", seat: 0, stakeMinor: 1_000n },
      { type: "stake", seat: 1, stakeMinor: 1_000n },
    );
    const state = drawToResolution(held);
    expect(state.result!.attempts.map((a) => [a.nonce, a.cards.map((c) => cardToString(c!)).join(" ")])).toEqual([
      [38, "3s 3h"],
      [39, "6h 4d"],
    ]);
    expect(state.result!.winnerSeat).toBe(0);
    expect(state.result!.settlement.rakeMinor).toBe(100n);
    expect(state.result!.settlement.seats.map((s) => s.payoutMinor)).toEqual([1_900n, 0n]);
  });
});
