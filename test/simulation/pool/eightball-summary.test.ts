import { describe, expect, it } from "vitest";
import { POCKETS } from "../../../simulation/pool/eightball/index.ts";
import { physicsPocketOf, rulesPocketOf, summarizeShot } from "../../../simulation/pool/eightball-summary.ts";
import {
  type BallPlacement,
  breakShot,
  type ShotInput,
  simulateShot,
  tableGeometry,
} from "../../../simulation/pool/index.ts";

const g = tableGeometry("9ft");

function pocketCentre(physicsPocket: number) {
  return { x: g.pockets[physicsPocket * 3]!, y: g.pockets[physicsPocket * 3 + 1]! };
}

/** The cue ball `back` metres behind `ball` on the line from the pocket through it: a dead straight shot. */
function straightShot(
  ball: BallPlacement,
  physicsPocket: number,
  speed: number,
  back = 0.4,
  extra: BallPlacement[] = [],
) {
  const c = pocketCentre(physicsPocket);
  const len = Math.hypot(c.x - ball.x, c.y - ball.y);
  const u = { x: (c.x - ball.x) / len, y: (c.y - ball.y) / len };
  const cue = { id: 0, x: ball.x - u.x * back, y: ball.y - u.y * back };
  const input: ShotInput = { table: "9ft", balls: [cue, ball, ...extra], strike: { direction: u, speed_m_s: speed } };
  return input;
}

describe("physics shot → 8-ball ShotSummary", () => {
  it("numbers pockets the way the rules do: rules pocket 0 is the head-left corner (−x, +y seen from the head)", () => {
    for (let p = 0; p < 6; p++) {
      const rules = rulesPocketOf(p);
      expect(physicsPocketOf(rules)).toBe(p);
      const { x, y } = pocketCentre(p);
      const name = POCKETS[rules]!.name;
      // The breaker stands at the head (−x) looking to the foot (+x): +y is on the left.
      expect(name.includes("left")).toBe(y > 0);
      if (name.includes("head")) expect(x).toBeLessThan(-0.5);
      if (name.includes("foot")) expect(x).toBeGreaterThan(0.5);
      if (name.includes("side")) expect(Math.abs(x)).toBeLessThan(0.01);
    }
  });

  it("a straight shot into each pocket: first contact, the ball pocketed in the right pocket, no scratch", () => {
    for (let p = 0; p < 6; p++) {
      const c = pocketCentre(p);
      const ball = { id: 3, x: c.x * 0.5, y: c.y * 0.4 };
      const input = straightShot(ball, p, 2.5);
      const summary = summarizeShot(input, simulateShot(input), { calledPocket: null });
      expect(summary.firstContact).toBe(3);
      expect(summary.pocketed).toEqual([{ ball: 3, pocket: rulesPocketOf(p) }]);
      expect(summary.cueBallPocketed).toBe(false);
      expect(summary.offTable).toEqual([]);
    }
  });

  it("a scratch: the cue ball sent straight into a corner touches nothing and ends in the pocket", () => {
    const c = pocketCentre(2);
    const input: ShotInput = {
      table: "9ft",
      balls: [
        { id: 0, x: 0.6, y: -0.2 },
        { id: 5, x: -0.8, y: 0.5 },
      ],
      strike: { direction: { x: c.x - 0.6, y: c.y + 0.2 }, speed_m_s: 2 },
    };
    const summary = summarizeShot(input, simulateShot(input), { calledPocket: null });
    expect(summary.cueBallPocketed).toBe(true);
    expect(summary.firstContact).toBeNull();
    expect(summary.pocketed).toEqual([]);
    expect(summary.cushionAfterFirstContact).toBe(false);
  });

  it("a soft hit that sends no ball to a rail has no cushion after contact; a firm one does", () => {
    const ball = { id: 11, x: 0, y: 0 };
    const soft: ShotInput = {
      table: "9ft",
      balls: [{ id: 0, x: -0.3, y: 0 }, ball],
      strike: { direction: { x: 1, y: 0 }, speed_m_s: 0.4 },
    };
    const softSummary = summarizeShot(soft, simulateShot(soft), { calledPocket: null });
    expect(softSummary.firstContact).toBe(11);
    expect(softSummary.cushionAfterFirstContact).toBe(false);
    expect(softSummary.objectBallsToCushion).toEqual([]);
    const firm = { ...soft, strike: { direction: { x: 1, y: 0 }, speed_m_s: 3 } };
    const firmSummary = summarizeShot(firm, simulateShot(firm), { calledPocket: null });
    expect(firmSummary.cushionAfterFirstContact).toBe(true);
    expect(firmSummary.objectBallsToCushion).toContain(11);
  });

  it("a cushion hit by the cue ball before any contact does not count as a cushion after contact", () => {
    // The cue ball goes up into the long rail and dies softly; it never reaches a ball.
    const input: ShotInput = {
      table: "9ft",
      balls: [
        { id: 0, x: 0.5, y: 0.4 },
        { id: 4, x: 1, y: -0.5 },
      ],
      strike: { direction: { x: 0, y: 1 }, speed_m_s: 0.6 },
    };
    const result = simulateShot(input);
    expect(result.events.some((e) => e.kind === "ball-cushion" && e.ball === 0)).toBe(true);
    const summary = summarizeShot(input, result, { calledPocket: null });
    expect(summary.firstContact).toBeNull();
    expect(summary.cushionAfterFirstContact).toBe(false);
  });

  it("pockets several balls in the order they dropped", () => {
    // Two balls in line with the foot-right corner, the cue ball behind them: the front one drops first, the back one
    // follows it in on its natural roll after the cue ball has stopped behind it.
    const c = pocketCentre(2);
    const u = { x: 1 / Math.SQRT2, y: -1 / Math.SQRT2 };
    const front = { id: 9, x: c.x - 0.25, y: c.y + 0.25 };
    const back = { id: 2, x: front.x - u.x * 0.3, y: front.y - u.y * 0.3 };
    const cue = { id: 0, x: back.x - u.x * 0.4, y: back.y - u.y * 0.4 };
    const input: ShotInput = {
      table: "9ft",
      balls: [cue, back, front],
      strike: { direction: u, speed_m_s: 3, vertical: 0.4 },
    };
    const summary = summarizeShot(input, simulateShot(input), { calledPocket: null });
    expect(summary.firstContact).toBe(2);
    expect(summary.pocketed.map((p) => p.ball)).toEqual([9, 2]);
  });

  it("a break drives four or more object balls to a rail", () => {
    const input = breakShot("9ft");
    const summary = summarizeShot(input, simulateShot(input), { calledPocket: null });
    expect(summary.firstContact).not.toBeNull();
    expect(summary.objectBallsToCushion.length).toBeGreaterThanOrEqual(4);
    expect(new Set(summary.objectBallsToCushion).size).toBe(summary.objectBallsToCushion.length);
  });

  it("with ball in hand behind the head string, hitting a ball that lies behind it is flagged; one beyond is not", () => {
    const behind = { id: 6, x: g.head_string_x_m - 0.3, y: 0 };
    const input: ShotInput = {
      table: "9ft",
      balls: [{ id: 0, x: g.head_string_x_m - 0.3, y: -0.4 }, behind],
      strike: { direction: { x: 0, y: 1 }, speed_m_s: 1.5 },
    };
    const flagged = summarizeShot(
      input,
      simulateShot(input),
      { calledPocket: null },
      { ballInHand: "behindHeadString" },
    );
    expect(flagged.firstContact).toBe(6);
    expect(flagged.firstContactBehindHeadString).toBe(true);
    // The same shot with the cue ball where it lay is no concern of 6.11: the field is left out.
    expect(
      summarizeShot(input, simulateShot(input), { calledPocket: null }).firstContactBehindHeadString,
    ).toBeUndefined();
    const beyond: ShotInput = {
      table: "9ft",
      balls: [
        { id: 0, x: g.head_string_x_m - 0.3, y: 0 },
        { id: 6, x: 0.2, y: 0 },
      ],
      strike: { direction: { x: 1, y: 0 }, speed_m_s: 1.5 },
    };
    const fine = summarizeShot(
      beyond,
      simulateShot(beyond),
      { calledPocket: null },
      { ballInHand: "behindHeadString" },
    );
    expect(fine.firstContact).toBe(6);
    expect(fine.firstContactBehindHeadString).toBe(false);
  });
});
