// Pockets: a ball rolled dead centre into a mouth drops; a ball that meets a jaw point bounces off it.

import { describe, expect, it } from "vitest";
import { CIRCLE_STRIDE, LINE_CUSHION_COUNT, RAIL_COUNT, tableGeometry } from "../../../simulation/pool/equipment.ts";
import { DEFAULT_PHYSICS_PARAMS } from "../../../simulation/pool/params.ts";
import { simulateShot } from "../../../simulation/pool/simulate-shots.ts";

const R = DEFAULT_PHYSICS_PARAMS.ball_radius_m;

describe("pockets", () => {
  for (const size of ["9ft", "7ft"] as const) {
    const g = tableGeometry(size);
    const hl = g.half_length_m;
    const hw = g.half_width_m;

    it(`a ball rolling dead centre into a corner pocket drops (${size})`, () => {
      const r = simulateShot({
        table: size,
        balls: [{ id: 0, x: hl - 0.4, y: hw - 0.4 }],
        strike: { direction_rad: Math.PI / 4, speed_m_s: 1.5, vertical: 0.4 },
      });
      expect(r.events).toEqual([{ kind: "pocket", time_s: r.events[0].time_s, ball: 0, pocket: 3 }]);
      expect(r.balls[0]).toMatchObject({ state: "pocketed", pocket: 3 });
    });

    it(`a ball rolling dead centre into a side pocket drops (${size})`, () => {
      const r = simulateShot({
        table: size,
        balls: [{ id: 0, x: 0, y: -0.3 }],
        strike: { direction_rad: -Math.PI / 2, speed_m_s: 1, vertical: 0.4 },
      });
      expect(r.events.map((e) => e.kind)).toEqual(["pocket"]);
      expect(r.balls[0]).toMatchObject({ state: "pocketed", pocket: 1 });
    });
  }

  it("a ball that meets the side pocket's jaw point head-on bounces off and does not drop", () => {
    const g = tableGeometry("9ft");
    const jaw = 2; // right side pocket (1), jaw a
    const cx = g.circles[jaw * CIRCLE_STRIDE];
    const cy = g.circles[jaw * CIRCLE_STRIDE + 1];
    const rj = g.circles[jaw * CIRCLE_STRIDE + 2];
    // Aim the ball's centre straight at the jaw's centre, from the pocket's side of the rail's end.
    const dx = -0.3;
    const dy = -0.954;
    const len = Math.hypot(dx, dy);
    const contactX = cx - ((R + rj) * dx) / len;
    const contactY = cy - ((R + rj) * dy) / len;
    const r = simulateShot({
      table: "9ft",
      balls: [{ id: 0, x: contactX - (0.3 * dx) / len, y: contactY - (0.3 * dy) / len }],
      strike: { direction: { x: dx, y: dy }, speed_m_s: 1.5, vertical: 0.4 },
    });
    expect(r.events[0]).toMatchObject({ kind: "ball-cushion", ball: 0, cushion: LINE_CUSHION_COUNT + jaw });
    expect(r.events.some((e) => e.kind === "pocket")).toBe(false);
    expect(r.balls[0].state).toBe("stationary");
    // It came straight back out, away from the rail.
    expect(r.balls[0].y).toBeGreaterThan(contactY);
  });

  it("a ball running along the rail into a corner rattles off the far facing and drops, as the geometry says", () => {
    const g = tableGeometry("9ft");
    const r = simulateShot({
      table: "9ft",
      balls: [{ id: 0, x: g.half_length_m - 0.8, y: -g.half_width_m + R + 0.01 }],
      strike: { direction_rad: 0, speed_m_s: 2, vertical: 0.4 },
    });
    const farFacing = RAIL_COUNT + 2 * 2 + 1; // foot-right corner (2), facing b on the foot rail
    expect(r.events.map((e) => e.kind)).toEqual(["ball-cushion", "pocket"]);
    expect(r.events[0]).toMatchObject({ cushion: farFacing });
    expect(r.balls[0]).toMatchObject({ state: "pocketed", pocket: 2 });
  });
});
