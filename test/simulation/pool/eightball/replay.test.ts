// replayGame folds recorded steps over a start state; the shot summary check refuses what the table cannot hold.

import { describe, expect, it } from "vitest";
import {
  applyDecision,
  applyShot,
  createEightBallGame,
  type GameStep,
  replayGame,
  validateShotSummary,
} from "../../../../simulation/pool/eightball/index.ts";
import { hit, position, shot } from "./craft.ts";

const p = <B extends number, P extends 0 | 1 | 2 | 3 | 4 | 5>(ball: B, pocket: P) => ({ ball, pocket });

/** A short rack: illegal break, re-break, groups, a foul, and the 8 in its called pocket. */
const steps: GameStep[] = [
  { kind: "shot", player: 0, summary: hit(1, { objectBallsToCushion: [1, 2] }) },
  { kind: "decision", player: 1, decision: { kind: "rerack", breaker: 1 } },
  { kind: "shot", player: 1, summary: hit(1, { pocketed: [p(9, 0)] }) },
  { kind: "shot", player: 1, summary: hit(10, { pocketed: [p(10, 2), p(11, 3), p(12, 0), p(13, 1)] }) },
  { kind: "shot", player: 1, summary: hit(1, {}) }, // wrong ball first: player 1 has stripes
  { kind: "shot", player: 0, summary: hit(2, { pocketed: [p(1, 0), p(2, 1), p(3, 2), p(4, 3)] }) },
  { kind: "shot", player: 0, summary: hit(5, { pocketed: [p(5, 4), p(6, 5), p(7, 0)] }) },
  { kind: "shot", player: 0, summary: hit(8, { intent: { calledPocket: 3 }, pocketed: [p(8, 3)] }) },
];

describe("replayGame", () => {
  it("reaches the same final state as applying each step in turn, ending in the recorded winner", () => {
    const replayed = replayGame(createEightBallGame({ breaker: 0 }), steps);
    if (!replayed.ok) throw new Error(`step ${replayed.stepIndex}: ${replayed.error.code}`);

    let state = createEightBallGame({ breaker: 0 });
    for (const step of steps) {
      const ruling =
        step.kind === "shot" ? applyShot(state, step.summary) : applyDecision(state, step.player, step.decision);
      if (!ruling.ok) throw new Error(ruling.error.code);
      state = ruling.state;
    }
    expect(replayed.state).toEqual(state);
    expect(replayed.state.result).toEqual({ winner: 0, loser: 1, reason: "eightBallInCalledPocket" });
    expect(replayed.state.rack).toBe(2);
    expect(replayed.state.shotCount).toBe(7);
  });

  it("stops at the first step the rules refuse and names it", () => {
    const corrupt: GameStep[] = [...steps.slice(0, 3), { kind: "shot", player: 0, summary: hit(2) }];
    const replayed = replayGame(createEightBallGame({ breaker: 0 }), corrupt);
    expect(replayed.ok).toBe(false);
    if (replayed.ok) return;
    expect(replayed.stepIndex).toBe(3);
    expect(replayed.error.code).toBe("not_your_turn");
    expect(replayed.state.shooter).toBe(1);
  });
});

describe("validateShotSummary refuses summaries the table cannot hold, and applyShot changes nothing", () => {
  const start = () => position({ shooter: 0, groups: ["solids", "stripes"], onTable: [1, 2, 8, 9] });
  const cases: [string, unknown][] = [
    ["a pocketed ball that is already down", shot({ pocketed: [p(5, 0)] })],
    ["a ball pocketed twice", shot({ pocketed: [p(1, 0), p(1, 2)] })],
    ["a pocket outside 0..5", { ...shot(), pocketed: [{ ball: 1, pocket: 6 }] }],
    ["a ball both pocketed and off the table", shot({ pocketed: [p(1, 0)], offTable: [1] })],
    ["the cue ball both pocketed and off the table", shot({ cueBallPocketed: true, offTable: [0] })],
    ["a first contact with a ball not on the table", shot({ firstContact: 3 })],
    ["a cushion list naming a ball twice", shot({ objectBallsToCushion: [1, 1] })],
    ["a missing field", { ...shot(), cueBallPocketed: undefined }],
    ["not an object", 42],
  ];
  for (const [what, summary] of cases) {
    it(what, () => {
      const state = start();
      expect(validateShotSummary(summary, state.ballsOnTable)?.code).toBe("invalid_summary");
      const ruling = applyShot(state, summary as never);
      expect(ruling.ok === false && ruling.error.code).toBe("invalid_summary");
      expect(state).toEqual(start());
    });
  }
});
