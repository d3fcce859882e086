// Ball–cushion rebounds against the restitution model (Han 2005), computed here from its formulas.

import { describe, expect, it } from "vitest";
import { tableGeometry } from "../../../simulation/pool/equipment.ts";
import { DEFAULT_PHYSICS_PARAMS } from "../../../simulation/pool/params.ts";
import { simulateShot } from "../../../simulation/pool/simulate-shots.ts";
import { DEG, sampleAtEvent } from "./helpers.ts";

const R = DEFAULT_PHYSICS_PARAMS.ball_radius_m;
const NO_CLOTH = { mu_slide: 0, mu_roll: 0, mu_spin: 0 };
const hw = tableGeometry("9ft").half_width_m;

/** A ball with no spin but `wz` sliding into the right head rail (y = −W/2) at `incidenceDeg` from its normal. */
function bounce(speed: number, incidenceDeg: number, params: object, wz = 0) {
  const a = incidenceDeg * DEG;
  const r = simulateShot(
    {
      table: "9ft",
      balls: [{ id: 0, x: -0.7, y: -hw + 0.2, vx: speed * Math.sin(a), vy: -speed * Math.cos(a), wz }],
    },
    { params: { ...NO_CLOTH, ...params }, limits: { max_time_s: 1 } },
  );
  expect(r.events[0]).toMatchObject({ kind: "ball-cushion", ball: 0, cushion: 0 });
  return sampleAtEvent(r, 0, 0);
}

/** Han (2005) for a ball arriving with normal speed vn, tangential speed vt and spin wz only. */
function hanRebound(vn: number, vt: number, wz: number, h: number, e: number, mu: number) {
  const sin = h / R - 1;
  const cos = Math.sqrt(1 - sin * sin);
  const sx = vn * sin;
  const sy = -vt - R * wz * cos;
  const pn = (1 + e) * vn * cos;
  const slip = Math.hypot(sx, sy);
  const k = (2 * slip) / 7 <= mu * pn ? 2 / 7 : (mu * pn) / slip;
  return { vn: vn - k * sx * sin - pn * cos, vt: vt + k * sy };
}

describe("ball–cushion rebound", () => {
  it("is a mirror reflection (equal angles, same speed) only for a perfectly elastic, frictionless cushion at the ball's equator", () => {
    const after = bounce(1.5, 35, { e_cushion: 1, mu_cushion: 0, cushion_height_m: R });
    expect(after.vx).toBeCloseTo(1.5 * Math.sin(35 * DEG), 5);
    expect(after.vy).toBeCloseTo(1.5 * Math.cos(35 * DEG), 5);
  });

  for (const [speed, incidence] of [
    [1, 0],
    [1.5, 30],
    [1, 60],
    [4, 20],
  ]) {
    it(`follows Han's model with the table's nose height, e and friction (${speed} m/s at ${incidence}°)`, () => {
      const p = DEFAULT_PHYSICS_PARAMS;
      const vn = speed * Math.cos(incidence * DEG);
      const vt = speed * Math.sin(incidence * DEG);
      // Restitution falls past the knee speed.
      const e = Math.max(
        p.cushion_restitution_min,
        p.e_cushion - p.cushion_restitution_slope_s_m * Math.max(0, vn - p.cushion_restitution_knee_m_s),
      );
      const expected = hanRebound(vn, vt, 0, tableGeometry("9ft").spec.cushion_height_m, e, p.mu_cushion);
      const after = bounce(speed, incidence, {});
      expect(after.vy).toBeCloseTo(-expected.vn, 5);
      expect(after.vx).toBeCloseTo(expected.vt, 5);
      if (incidence > 0) {
        // Not a mirror reflection.
        const out = Math.atan2(after.vx, after.vy) / DEG;
        expect(Math.abs(out - incidence)).toBeGreaterThan(0.5);
      }
    });
  }

  it("side spin changes the rebound as Han's model says: running english widens it, reverse narrows it", () => {
    const p = DEFAULT_PHYSICS_PARAMS;
    const h = tableGeometry("9ft").spec.cushion_height_m;
    const angles: number[] = [];
    for (const wz of [-40, 0, 40]) {
      const after = bounce(1.2, 30, {}, wz);
      const expected = hanRebound(1.2 * Math.cos(30 * DEG), 1.2 * Math.sin(30 * DEG), wz, h, p.e_cushion, p.mu_cushion);
      expect(after.vy).toBeCloseTo(-expected.vn, 5);
      expect(after.vx).toBeCloseTo(expected.vt, 5);
      angles.push(Math.atan2(after.vx, after.vy));
    }
    // Moving +x into the y = −W/2 rail, running english is clockwise seen from above (wz < 0).
    expect(angles[0]).toBeGreaterThan(angles[1]);
    expect(angles[2]).toBeLessThan(angles[1]);
  });
});
