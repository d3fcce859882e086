// The shot summary check refuses what the table cannot hold.

import { describe, expect, it } from "vitest";
import { applyShot, validateShotSummary } from "../../../../simulation/pool/eightball/index.ts";
import { position, shot } from "./craft.ts";

const p = <B extends number, P extends 0 | 1 | 2 | 3 | 4 | 5>(ball: B, pocket: P) => ({ ball, pocket });

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
