// Motion on the cloth and the cue strike, against their closed forms.

import { describe, expect, it } from "vitest";
import { cueStrikeVelocity, MAX_CUE_BALL_SPEED_M_S } from "../../../simulation/pool/cue-strike.ts";
import { DEFAULT_PHYSICS_PARAMS } from "../../../simulation/pool/params.ts";
import { simulateShot } from "../../../simulation/pool/simulate-shots.ts";
import { samplesOf } from "./helpers.ts";

const { ball_radius_m: R, gravity_m_s2: g, mu_roll, mu_slide, mu_spin } = DEFAULT_PHYSICS_PARAMS;

function lone(x: number, y: number, strike: Parameters<typeof simulateShot>[0]["strike"]) {
  return simulateShot({ table: "9ft", balls: [{ id: 0, x, y }], strike }, { record_transitions: true });
}

describe("rolling", () => {
  it("a rolling ball stops after v²/(2·μr·g), in v/(μr·g) seconds", () => {
    const v = 0.5;
    const r = lone(-1, 0, { direction_rad: 0, speed_m_s: v, vertical: 0.4 });
    expect(r.events.map((e) => e.kind)).toEqual(["transition"]);
    expect(r.events[0]).toMatchObject({ state: "stationary" });
    const ball = r.balls[0];
    expect(ball.x - -1).toBeCloseTo((v * v) / (2 * mu_roll * g), 5);
    expect(Math.abs(ball.y)).toBeLessThan(1e-6);
    expect(r.total_time_s).toBeCloseTo(v / (mu_roll * g), 4);
  });
});

describe("sliding", () => {
  it("a stun ball slides for 2v/(7·μs·g), then rolls at 5/7 of its speed", () => {
    const v = 0.6;
    const r = lone(-1, 0, { direction_rad: 0, speed_m_s: v });
    const slideTime = (2 * v) / (7 * mu_slide * g);
    expect(r.events[0]).toMatchObject({ kind: "transition", ball: 0, state: "rolling" });
    expect(r.events[0].time_s).toBeCloseTo(slideTime, 5);
    const rolling = samplesOf(r, 0).find((s) => s.state === "rolling")!;
    expect(rolling.vx).toBeCloseTo((5 / 7) * v, 5);
    // Distance: sliding under μs·g, then rolling under μr·g.
    const slideDistance = v * slideTime - 0.5 * mu_slide * g * slideTime * slideTime;
    const rollDistance = ((5 / 7) * v) ** 2 / (2 * mu_roll * g);
    expect(r.balls[0].x - -1).toBeCloseTo(slideDistance + rollDistance, 4);
  });

  it("a draw stroke with no object ball ends rolling forward at (5v − 2Rω)/7", () => {
    const v = 1;
    const r = lone(-1, 0, { direction_rad: 0, speed_m_s: v, vertical: -0.5 });
    const w = ((5 * v) / (2 * R)) * 0.5; // backspin from the strike
    const rolling = samplesOf(r, 0).find((s) => s.state === "rolling")!;
    expect(rolling.vx).toBeCloseTo((5 * v - 2 * R * w) / 7, 5);
  });
});

describe("spin about the vertical axis", () => {
  it("decays at 5·μsp·g/(2R) while the ball spins in place", () => {
    const wz = 20;
    const r = simulateShot({ table: "9ft", balls: [{ id: 0, x: 0, y: 0, wz }] }, { record_transitions: true });
    expect(r.events).toEqual([{ kind: "transition", time_s: r.total_time_s, ball: 0, state: "stationary" }]);
    expect(r.total_time_s).toBeCloseTo(wz / ((5 * mu_spin * g) / (2 * R)), 4);
    expect(r.balls[0].x).toBe(0);
  });
});

describe("cue strike", () => {
  it("a tip 2/5·R above centre gives natural roll: the ball rolls from the start", () => {
    const cue = cueStrikeVelocity({ direction_rad: 0.3, speed_m_s: 2, vertical: 0.4 }, R);
    const u = Math.hypot(cue.vx - R * cue.wy, cue.vy + R * cue.wx); // slip of the contact point
    expect(u).toBeLessThan(1e-12);
    const r = lone(-0.5, 0, { direction_rad: 0, speed_m_s: 0.4, vertical: 0.4 });
    expect(samplesOf(r, 0)[0].state).toBe("rolling");
  });

  it("side offset a gives spin 5·v·a/(2R) about the vertical; right english spins counter-clockwise", () => {
    const cue = cueStrikeVelocity({ direction: { x: 0, y: 3 }, speed_m_s: 2, side: 0.3 }, R);
    expect(cue.vx).toBeCloseTo(0, 12);
    expect(cue.vy).toBeCloseTo(2, 12);
    expect(cue.wz).toBeCloseTo((5 * 2 * 0.3) / (2 * R), 9);
  });

  it("refuses a miscue, a zero direction and a speed out of bounds", () => {
    expect(() => cueStrikeVelocity({ direction_rad: 0, speed_m_s: 1, side: 0.4, vertical: 0.4 }, R)).toThrow(
      RangeError,
    );
    expect(() => cueStrikeVelocity({ direction: { x: 0, y: 0 }, speed_m_s: 1 }, R)).toThrow(RangeError);
    expect(() => cueStrikeVelocity({ direction_rad: 0, speed_m_s: MAX_CUE_BALL_SPEED_M_S + 0.1 }, R)).toThrow(
      RangeError,
    );
    expect(() => cueStrikeVelocity({ direction_rad: 0, speed_m_s: 0 }, R)).toThrow(RangeError);
    expect(() => cueStrikeVelocity({ direction_rad: Number.NaN, speed_m_s: 1 }, R)).toThrow(RangeError);
  });
});
