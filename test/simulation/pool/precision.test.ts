// Float32 is accurate enough: the same kernel in float32 and float64 agrees on simple shots.

import { describe, expect, it } from "vitest";
import { DEFAULT_PHYSICS_PARAMS } from "../../../simulation/pool/params.ts";
import { breakShot } from "../../../simulation/pool/rack.ts";
import { type ShotInput, simulateShot } from "../../../simulation/pool/simulate-shots.ts";

const R = DEFAULT_PHYSICS_PARAMS.ball_radius_m;

const SIMPLE_SHOTS: [string, ShotInput][] = [
  [
    "straight stop shot",
    {
      table: "9ft",
      balls: [
        { id: 0, x: -0.8, y: 0.1 },
        { id: 2, x: 0.2, y: 0.1 },
      ],
      strike: { direction_rad: 0, speed_m_s: 2 },
    },
  ],
  [
    "cut into the corner with follow",
    {
      table: "9ft",
      balls: [
        { id: 0, x: 0, y: 0 },
        { id: 4, x: 0.9, y: 0.45 - R },
      ],
      strike: { direction: { x: 0.9, y: 0.45 - 2 * R }, speed_m_s: 2.5, vertical: 0.3 },
    },
  ],
  [
    "two-rail kick with english",
    { table: "9ft", balls: [{ id: 0, x: -0.6, y: -0.3 }], strike: { direction_rad: 0.9, speed_m_s: 3, side: 0.3 } },
  ],
  [
    "draw back off a full hit",
    {
      table: "7ft",
      balls: [
        { id: 0, x: -0.5, y: 0 },
        { id: 9, x: 0, y: 0 },
      ],
      strike: { direction_rad: 0, speed_m_s: 3, vertical: -0.4 },
    },
  ],
];

describe("float32 against float64", () => {
  for (const [name, shot] of SIMPLE_SHOTS) {
    it(`agree on the events and on where balls stop to within 0.1 mm (${name})`, () => {
      const a = simulateShot(shot, { precision: "f32" });
      const b = simulateShot(shot, { precision: "f64" });
      expect(a.events.map((e) => ({ ...e, time_s: 0 }))).toEqual(b.events.map((e) => ({ ...e, time_s: 0 })));
      for (let i = 0; i < a.events.length; i++)
        expect(Math.abs(a.events[i].time_s - b.events[i].time_s)).toBeLessThan(1e-5);
      expect(Math.abs(a.total_time_s - b.total_time_s)).toBeLessThan(1e-4);
      for (let i = 0; i < a.balls.length; i++) {
        expect(a.balls[i].state).toBe(b.balls[i].state);
        expect(Math.hypot(a.balls[i].x - b.balls[i].x, a.balls[i].y - b.balls[i].y)).toBeLessThan(1e-4);
      }
    });
  }

  it("the f32 run really is float32: every stored position is a float32 value", () => {
    const r = simulateShot(SIMPLE_SHOTS[1][1], { precision: "f32" });
    for (const b of r.balls) {
      expect(Math.fround(b.x)).toBe(b.x);
      expect(Math.fround(b.y)).toBe(b.y);
    }
    const d = simulateShot(SIMPLE_SHOTS[1][1], { precision: "f64" });
    expect(d.balls.some((b) => Math.fround(b.x) !== b.x)).toBe(true);
  });

  it("the break, chaotic, still completes in both precisions with every ball at rest", () => {
    for (const precision of ["f32", "f64"] as const) {
      const r = simulateShot(breakShot("9ft"), { precision });
      expect(r.complete).toBe(true);
      expect(r.balls.every((b) => b.state === "stationary" || b.state === "pocketed")).toBe(true);
    }
  });
});
