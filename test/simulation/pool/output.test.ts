// What a shot returns: settled table, ordered events, keyframes that reproduce the motion, caps and validation.

import { describe, expect, it } from "vitest";
import { BALLS_PER_TABLE, EIGHT_BALL_ID, tableGeometry } from "../../../simulation/pool/equipment.ts";
import { DEFAULT_PHYSICS_PARAMS } from "../../../simulation/pool/params.ts";
import { breakShot, cueBallInKitchen, DEFAULT_RACK_ORDER, rackEightBall } from "../../../simulation/pool/rack.ts";
import { interpolateBall, simulateShot, simulateShots } from "../../../simulation/pool/simulate-shots.ts";
import { MIDGAME_SHOT } from "./helpers.ts";

const R = DEFAULT_PHYSICS_PARAMS.ball_radius_m;

describe("shot result", () => {
  it("lists events in time order, and keyframes reproduce every ball's path between them", () => {
    const shot = MIDGAME_SHOT;
    const full = simulateShot(shot);
    for (let i = 1; i < full.events.length; i++)
      expect(full.events[i].time_s).toBeGreaterThanOrEqual(full.events[i - 1].time_s);
    expect(full.events.some((e) => e.kind === "ball-ball")).toBe(true);
    expect(full.events.some((e) => e.kind === "ball-cushion")).toBe(true);
    // Stop the same shot at arbitrary moments (the time cap evolves every ball to exactly that time): the
    // keyframe interpolation of the full run must put every ball there.
    for (const t of [0.05, 0.31, 0.77, 1.4, 2.9]) {
      const cut = simulateShot(shot, { limits: { max_time_s: t } });
      expect(cut.caps.time_cap).toBe(true);
      for (const ball of cut.balls) {
        const p = interpolateBall(full.keyframes, ball.id, cut.total_time_s)!;
        expect(Math.hypot(p.x - ball.x, p.y - ball.y)).toBeLessThan(2e-4);
      }
    }
    // Compact: a few keyframes per event.
    expect(full.keyframes.count).toBeLessThanOrEqual(2 * full.steps + 2 * BALLS_PER_TABLE);
  });

  it("reports pocketed balls with their pocket and the total simulated time", () => {
    const g = tableGeometry("9ft");
    const r = simulateShot({
      table: "9ft",
      balls: [
        { id: 0, x: g.half_length_m - 0.6, y: g.half_width_m - 0.6 },
        { id: 7, x: g.half_length_m - 0.3, y: g.half_width_m - 0.3 },
      ],
      strike: { direction_rad: Math.PI / 4, speed_m_s: 2, vertical: -0.2 },
    });
    expect(r.balls.find((b) => b.id === 7)).toMatchObject({ state: "pocketed", pocket: 3 });
    expect(r.events.find((e) => e.kind === "pocket")).toMatchObject({ ball: 7, pocket: 3 });
    expect(r.total_time_s).toBeGreaterThanOrEqual(r.events[r.events.length - 1].time_s);
    expect(r.total_time_s).toBeGreaterThan(0);
    expect(r.complete).toBe(true);
  });

  it("flags a full event buffer and a step cap instead of failing", () => {
    const r = simulateShot(breakShot("9ft"), { limits: { event_capacity: 5, max_steps: 20 } });
    expect(r.events.length).toBe(5);
    expect(r.caps.event_overflow).toBe(true);
    expect(r.caps.step_cap).toBe(true);
    expect(r.complete).toBe(false);
  });

  it("refuses bad input with a RangeError that names the problem", () => {
    const ok = { table: "9ft" as const, balls: [{ id: 0, x: 0, y: 0 }] };
    expect(() => simulateShot({ ...ok, balls: [{ id: 0, x: 5, y: 0 }] })).toThrow(/playing surface/);
    expect(() =>
      simulateShot({
        ...ok,
        balls: [
          { id: 0, x: 0, y: 0 },
          { id: 1, x: R, y: 0 },
        ],
      }),
    ).toThrow(/overlap/);
    expect(() =>
      simulateShot({
        ...ok,
        balls: [
          { id: 0, x: 0, y: 0 },
          { id: 0, x: 0.5, y: 0 },
        ],
      }),
    ).toThrow(/unique/);
    expect(() => simulateShot({ ...ok, balls: [{ id: 16, x: 0, y: 0 }] })).toThrow(/unique/);
    expect(() => simulateShot({ ...ok, table: "12ft" as never })).toThrow(/unknown table/);
    expect(() =>
      simulateShot({ table: "9ft", balls: [{ id: 1, x: 0, y: 0 }], strike: { direction_rad: 0, speed_m_s: 1 } }),
    ).toThrow(/cue ball/);
    expect(() => simulateShot(ok, { params: { mu_slide: -1 } })).toThrow(/mu_slide/);
    expect(() => simulateShot(ok, { precision: "f16" as never })).toThrow(/precision/);
    expect(() => simulateShots(new Array(5000).fill(ok))).toThrow(/at most/);
  });
});

describe("8-ball rack", () => {
  it("racks a tight triangle: apex on the foot spot, the 8 in the middle of the third row, no overlaps", () => {
    const g = tableGeometry("9ft");
    const rack = rackEightBall("9ft");
    expect(rack.map((b) => b.id).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(rack[0]).toMatchObject({ x: g.foot_spot_x_m, y: 0 });
    const eight = rack.find((b) => b.id === EIGHT_BALL_ID)!;
    expect(eight.x).toBeCloseTo(g.foot_spot_x_m + 2 * (2 * R + 1e-4) * (Math.sqrt(3) / 2), 12);
    expect(eight.y).toBeCloseTo(0, 12);
    for (let i = 0; i < rack.length; i++) {
      for (let j = i + 1; j < rack.length; j++) {
        expect(Math.hypot(rack[i].x - rack[j].x, rack[i].y - rack[j].y)).toBeGreaterThanOrEqual(2 * R);
      }
    }
    // Back corners (first and last ball of the fifth row): one solid, one stripe.
    const corners = [rack[10].id, rack[14].id];
    expect(corners.filter((id) => id < 8).length).toBe(1);
    expect(DEFAULT_RACK_ORDER.length).toBe(14);
    expect(() => rackEightBall("9ft", [1, 2, 3])).toThrow(RangeError);
    expect(() => rackEightBall("9ft", [8, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15])).toThrow(RangeError);
  });

  it("places the cue ball behind the head string, and the break spreads the rack", () => {
    const g = tableGeometry("7ft");
    expect(cueBallInKitchen("7ft").x).toBeLessThan(g.head_string_x_m);
    const shot = breakShot("7ft");
    const r = simulateShot(shot);
    expect(r.complete).toBe(true);
    expect(r.events[0]).toMatchObject({ kind: "ball-ball", ball: 0, other_ball: shot.balls[1].id });
    const railed = new Set(r.events.filter((e) => e.kind === "ball-cushion" && e.ball !== 0).map((e) => e.ball));
    expect(railed.size).toBeGreaterThanOrEqual(4);
  });
});
