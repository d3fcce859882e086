// Contacts between balls that touch: a ball that follows another into a second hit, a stun hit through a frozen
// pair, and slow pushes. Each must end at rest, and at no moment of the shot may two balls be inside each other.

import { describe, expect, it } from "vitest";
import { DEFAULT_PHYSICS_PARAMS } from "../../../simulation/pool/params.ts";
import {
  interpolateBall,
  type ShotInput,
  type ShotResult,
  simulateShot,
} from "../../../simulation/pool/simulate-shots.ts";
import { samplesOf } from "./helpers.ts";

const R = DEFAULT_PHYSICS_PARAMS.ball_radius_m;
const e = DEFAULT_PHYSICS_PARAMS.e_ball;
const OVERLAP_TOLERANCE_M = 1e-6;

/** The deepest overlap of two balls over the whole shot, sampled at every keyframe time of either (m, ≥ 0). */
function deepestOverlap(result: ShotResult, a: number, b: number): number {
  let deepest = 0;
  for (let i = 0; i < result.keyframes.count; i++) {
    const ball = result.keyframes.ball[i];
    if (ball !== a && ball !== b) continue;
    const t = result.keyframes.time_s[i];
    const pa = interpolateBall(result.keyframes, a, t);
    const pb = interpolateBall(result.keyframes, b, t);
    if (!pa || !pb) continue;
    deepest = Math.max(deepest, 2 * R - Math.hypot(pa.x - pb.x, pa.y - pb.y));
  }
  return deepest;
}

function contacts(result: ShotResult, a: number, b: number) {
  return result.events.filter(
    (ev) =>
      ev.kind === "ball-ball" && ((ev.ball === a && ev.other_ball === b) || (ev.ball === b && ev.other_ball === a)),
  );
}

function atRest(result: ShotResult): boolean {
  return result.complete && result.balls.every((ball) => ball.state === "stationary" || ball.state === "pocketed");
}

describe("contacts between touching balls", () => {
  it("a rolling ball that hits another full follows it into a second hit, never passing into it", () => {
    const shot: ShotInput = {
      table: "9ft",
      balls: [
        { id: 0, x: -0.6, y: 0 },
        { id: 5, x: 0, y: 0 },
      ],
      strike: { direction_rad: 0, speed_m_s: 1.5, vertical: 0.4 }, // natural roll
    };
    const r = simulateShot(shot);
    expect(atRest(r)).toBe(true);
    // The cue ball stops dead at the hit, its topspin drives it on, and it catches the object ball again.
    expect(contacts(r, 0, 5).length).toBeGreaterThanOrEqual(2);
    expect(deepestOverlap(r, 0, 5)).toBeLessThan(OVERLAP_TOLERANCE_M);
    const final = new Map(r.balls.map((b) => [b.id, b]));
    expect(final.get(0)!.x).toBeLessThan(final.get(5)!.x - 2 * R + OVERLAP_TOLERANCE_M);
  });

  it("a stun hit on a frozen pair passes through to the far ball: it leaves at ((1 + e)/2)² of the cue ball's speed", () => {
    const v = 2;
    const shot: ShotInput = {
      table: "9ft",
      balls: [
        { id: 0, x: -0.5, y: 0 },
        { id: 1, x: 0, y: 0 },
        { id: 2, x: 2 * R, y: 0 },
      ],
      strike: { direction_rad: 0, speed_m_s: v, vertical: 0 },
    };
    const r = simulateShot(shot, { params: { mu_ball: 0 } });
    expect(atRest(r)).toBe(true);
    const first = r.events.find((ev) => ev.kind === "ball-ball")!;
    // The run of zero-time contacts at the moment of impact ends after a few: every one strictly reduces an approach.
    const run = r.events.filter((ev) => ev.kind === "ball-ball" && ev.time_s === first.time_s);
    expect(run.length).toBeGreaterThanOrEqual(2);
    expect(run.length).toBeLessThanOrEqual(6);
    const far = samplesOf(r, 2).find((s) => s.time_s === first.time_s && s.vx > 0)!;
    // Just after the hit the far ball slides with the speed the two impacts give it (stun: no spin yet), less the
    // cloth's effect over the hit's travel time (the cue ball takes ~0.24 s to arrive, decelerating as it slides).
    const arrival = samplesOf(r, 0).find((s) => s.time_s === first.time_s)!;
    expect(far).toBeDefined();
    const incoming = v - DEFAULT_PHYSICS_PARAMS.mu_slide * DEFAULT_PHYSICS_PARAMS.gravity_m_s2 * arrival.time_s;
    if (arrival.state === "sliding") expect(Math.hypot(far.vx, far.vy) / incoming).toBeCloseTo(((1 + e) / 2) ** 2, 2);
    else expect(Math.hypot(far.vx, far.vy)).toBeGreaterThan(0.8 * ((1 + e) / 2) ** 2 * (5 / 7) * v);
    expect(deepestOverlap(r, 0, 1)).toBeLessThan(OVERLAP_TOLERANCE_M);
    expect(deepestOverlap(r, 1, 2)).toBeLessThan(OVERLAP_TOLERANCE_M);
  });

  for (const [name, strike] of [
    ["centre", { side: 0, vertical: 0 }],
    ["draw", { side: 0, vertical: -0.45 }],
    ["follow and side", { side: 0.3, vertical: 0.35 }],
  ] as const) {
    for (const speed_m_s of [0.01, 0.05, 0.3]) {
      it(`a slow push of a frozen ball (${speed_m_s} m/s, ${name}) comes to rest with the balls apart or touching`, () => {
        const shot: ShotInput = {
          table: "7ft",
          balls: [
            { id: 0, x: -0.1, y: 0.02 },
            { id: 9, x: -0.1 + 2 * R, y: 0.02 },
            { id: 10, x: -0.1 + 4 * R, y: 0.02 + 1e-4 },
          ],
          strike: { direction_rad: 0.02, speed_m_s, ...strike },
        };
        const r = simulateShot(shot);
        expect(atRest(r)).toBe(true);
        for (const [a, b] of [
          [0, 9],
          [9, 10],
          [0, 10],
        ])
          expect(deepestOverlap(r, a, b), `${a}–${b}`).toBeLessThan(OVERLAP_TOLERANCE_M);
        // The push moved the pushed balls forward.
        const nine = r.balls.find((b) => b.id === 9)!;
        expect(nine.x).toBeGreaterThan(-0.1 + 2 * R);
      });
    }
  }
});
