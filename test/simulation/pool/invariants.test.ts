// Energy never rises; the same shot is bit-identical on rerun; a mirrored shot gives the mirrored result.

import { describe, expect, it } from "vitest";
import { mirrorCushionId, mirrorPocketId, tableGeometry } from "../../../simulation/pool/equipment.ts";
import { breakShot } from "../../../simulation/pool/rack.ts";
import {
  type ShotInput,
  type ShotResult,
  simulateShot,
  simulateShots,
} from "../../../simulation/pool/simulate-shots.ts";
import { MIDGAME_SHOT } from "./helpers.ts";

const g = tableGeometry("9ft");

const SHOTS: [string, ShotInput][] = [
  ["break", breakShot("9ft")],
  ["break, 7-ft", breakShot("7ft", undefined, 12)],
  ["mid-game with english", MIDGAME_SHOT],
  [
    "hard draw into a rail",
    {
      table: "9ft",
      balls: [
        { id: 0, x: 0, y: 0 },
        { id: 1, x: 0.4, y: 0.05 },
      ],
      strike: { direction_rad: 0.1, speed_m_s: 7, vertical: -0.45 },
    },
  ],
  [
    "massé-like spin along a rail",
    {
      table: "9ft",
      balls: [{ id: 0, x: -1, y: -g.half_width_m + 0.03 }],
      strike: { direction_rad: 0.02, speed_m_s: 5, side: -0.45 },
    },
  ],
];

describe("energy", () => {
  for (const [name, shot] of SHOTS) {
    it(`never increases in any step or event (${name})`, () => {
      for (const precision of ["f32", "f64"] as const) {
        const r = simulateShot(shot, { trace_energy: true, precision });
        const e = r.energy_trace!;
        expect(r.complete).toBe(true);
        expect(e.length).toBe(2 * r.steps);
        for (let i = 1; i < e.length; i++) {
          // Float32 rounding of a 50 J/kg total is ~3e-6 J/kg; anything larger would be a real gain.
          expect(e[i]).toBeLessThanOrEqual(e[i - 1] * (1 + 1e-6) + 1e-9);
        }
        expect(e[e.length - 1]).toBeLessThan(1e-9);
      }
    });
  }
});

function mirror(shot: ShotInput): ShotInput {
  const s = shot.strike!;
  return {
    table: shot.table,
    balls: shot.balls.map((b) => ({ ...b, y: -b.y })),
    strike: {
      ...s,
      direction: s.direction ? { x: s.direction.x, y: -s.direction.y } : undefined,
      direction_rad: s.direction_rad !== undefined ? -s.direction_rad : undefined,
      side: -(s.side ?? 0),
    },
  };
}

describe("determinism", () => {
  for (const [name, shot] of SHOTS) {
    it(`the same shot gives bit-identical results on rerun (${name})`, () => {
      const a = simulateShot(shot);
      const b = simulateShot(shot);
      expect(b).toEqual(a);
      // And inside a batch, next to other shots, it is still the same.
      const batch = simulateShots([SHOTS[0][1], shot, SHOTS[2][1]]);
      expect(batch[1]).toEqual(a);
    });

    it(`a mirrored shot gives the mirrored result (${name})`, () => {
      const a: ShotResult = simulateShot(shot);
      const m: ShotResult = simulateShot(mirror(shot));
      expect(m.total_time_s).toBe(a.total_time_s);
      expect(m.events.length).toBe(a.events.length);
      for (let i = 0; i < a.events.length; i++) {
        const ea = a.events[i];
        const em = m.events[i];
        expect(em.time_s).toBe(ea.time_s);
        if (ea.kind === "ball-cushion") expect(em).toEqual({ ...ea, cushion: mirrorCushionId(ea.cushion) });
        else if (ea.kind === "pocket") expect(em).toEqual({ ...ea, pocket: mirrorPocketId(ea.pocket) });
        else expect(em).toEqual(ea);
      }
      for (let i = 0; i < a.balls.length; i++) {
        const ba = a.balls[i];
        expect(m.balls[i]).toEqual({ ...ba, y: -ba.y, pocket: ba.pocket === null ? null : mirrorPocketId(ba.pocket) });
      }
    });
  }
});
