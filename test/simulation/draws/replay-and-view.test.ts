import { describe, expect, it } from "vitest";
import {
  applyDrawsAction,
  createDrawsMatch,
  type DrawsAction,
  DrawsReplayError,
  type DrawsState,
  drawsConfig,
  publicDrawsView,
  type RoundResult,
  replayDraws,
} from "../../../simulation/draws/index.ts";
import { createSeedState, recomputeDraw, rotateSeeds } from "../../../simulation/rng/index.ts";
import { CLIENT_SEED, isTie, OTHER_SERVER_SEED, publishedCards, SERVER_SEED, searchNonce, seedsAt } from "./helpers.ts";

const bigintText = (_key: string, value: unknown) => (typeof value === "bigint" ? `${value}n` : value);

/** Plays a match as a room would, logging every accepted action and every resolved round. */
function playLogged(initial: DrawsState, actions: DrawsAction[]) {
  let state = initial;
  const results: RoundResult[] = [];
  const log: DrawsAction[] = [];
  for (const action of actions) {
    const outcome = applyDrawsAction(state, action);
    if (!outcome.ok) continue; // a room answers the client with the error and logs nothing
    state = outcome.state;
    log.push(action);
    for (const event of outcome.events) if (event.type === "roundResolved") results.push(event.result);
  }
  return { state, results, log };
}

describe("replay", () => {
  // Round 1 starts on a tie so it redraws; seeds rotate before round 3; seat 1 leaves in round 4.
  const startNonce = searchNonce((n) => isTie(publishedCards(n)) && !isTie(publishedCards(n + 1)));
  const config = drawsConfig({ rakeBps: 500, rakeCapMinor: 40n, maxRedraws: 3 });
  const seeds = seedsAt(startNonce);
  const round = (stakeMinor: bigint): DrawsAction[] => [
    { type: "stake", seat: 0, stakeMinor },
    { type: "stake", seat: 1, stakeMinor: stakeMinor + 1n }, // rejected: differs
    { type: "stake", seat: 1, stakeMinor },
    { type: "draw", seat: 1 },
    { type: "draw", seat: 0, auto: true },
    { type: "draw", seat: 0 },
    { type: "draw", seat: 1 },
    { type: "draw", seat: 0 },
    { type: "draw", seat: 1 },
    { type: "settle" },
    { type: "nextRound" },
  ];
  const rotation = rotateSeeds(
    { ...createSeedState(SERVER_SEED, CLIENT_SEED), nonce: startNonce + 10 },
    OTHER_SERVER_SEED,
  );
  const script: DrawsAction[] = [
    ...round(500n),
    ...round(1_000n),
    { type: "useSeeds", seeds: rotation.next },
    ...round(2_000n),
    { type: "stake", seat: 0, stakeMinor: 300n },
    { type: "stake", seat: 1, stakeMinor: 300n },
    { type: "forfeit", seat: 1 },
    { type: "settle" },
  ];
  const played = playLogged(createDrawsMatch(config, seeds), script);

  it("reproduces the final state and every round from the seeds and the accepted actions", () => {
    expect(played.results.length).toBe(4);
    expect(played.results[0].attempts.length).toBeGreaterThan(1); // the tie redrew
    expect(played.state.match).toEqual({ over: true, winnerSeat: 0, reason: "forfeit" });
    const replay = replayDraws(config, seeds, played.log);
    expect(replay.state).toEqual(played.state);
    expect(replay.results).toEqual(played.results);
  });

  it("every attempt recomputes with recomputeDraw from the revealed seed of its commitment", () => {
    const revealed = new Map([
      [createSeedState(SERVER_SEED, CLIENT_SEED).serverSeedHash, SERVER_SEED],
      [rotation.next.serverSeedHash, OTHER_SERVER_SEED],
    ]);
    const attempts = played.results.flatMap((r) => r.attempts).filter((a) => a.cards[0] !== null);
    expect(attempts.length).toBeGreaterThanOrEqual(4);
    for (const attempt of attempts) {
      const serverSeed = revealed.get(attempt.serverSeedHash)!;
      expect(attempt.cards).toEqual(
        recomputeDraw({ serverSeed, clientSeed: attempt.clientSeed, nonce: attempt.nonce }, 2, 1),
      );
    }
    expect(played.results[2].attempts[0]).toMatchObject({ serverSeedHash: rotation.next.serverSeedHash, nonce: 0 });
  });

  it("a different server seed gives different cards, and a log with a rejected action is refused", () => {
    const wrong = replayDraws(
      config,
      { ...createSeedState(OTHER_SERVER_SEED, CLIENT_SEED), nonce: startNonce },
      played.log.slice(0, 4),
    );
    expect(wrong.state.attempts[0].cards).not.toEqual(played.results[0].attempts[0].cards);
    const bad: DrawsAction[] = [
      { type: "stake", seat: 0, stakeMinor: 500n },
      { type: "draw", seat: 0 },
    ];
    expect(() => replayDraws(config, seeds, bad)).toThrow(DrawsReplayError);
    try {
      replayDraws(config, seeds, bad);
    } catch (error) {
      expect((error as DrawsReplayError).actionIndex).toBe(1);
      expect((error as DrawsReplayError).error.code).toBe("WRONG_PHASE");
    }
  });
});

describe("public view", () => {
  it("never carries the server seed, and a seat's card appears only once it has drawn", () => {
    const config = drawsConfig();
    let state = createDrawsMatch(config, seedsAt(5));
    for (const action of [
      { type: "stake", seat: 0, stakeMinor: 1_000n },
      { type: "stake", seat: 1, stakeMinor: 1_000n },
      { type: "draw", seat: 0 },
    ] as DrawsAction[]) {
      const outcome = applyDrawsAction(state, action);
      if (!outcome.ok) throw new Error(outcome.error.message);
      state = outcome.state;
      const text = JSON.stringify(publicDrawsView(state), bigintText);
      expect(text).not.toContain(SERVER_SEED);
      expect(text).toContain(state.seeds.serverSeedHash);
    }
    const view = publicDrawsView(state);
    expect(view.attempts[0].cards).toEqual([publishedCards(5)[0], null]);
    expect(view.seeds).toEqual({ serverSeedHash: state.seeds.serverSeedHash, clientSeed: CLIENT_SEED, nonce: 6 });
  });
});
