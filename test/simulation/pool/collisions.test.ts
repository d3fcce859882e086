// Ball–ball collisions against the textbook results. Every expected value is computed here from its formula.

import { describe, expect, it } from "vitest";
import { DEFAULT_PHYSICS_PARAMS, IDEAL_COLLISION_PARAMS } from "../../../simulation/pool/params.ts";
import { simulateShot } from "../../../simulation/pool/simulate-shots.ts";
import { angleBetweenDeg, DEG, sampleAtEvent, samplesOf } from "./helpers.ts";

const R = DEFAULT_PHYSICS_PARAMS.ball_radius_m;
// No cloth friction: the cue ball reaches the object ball exactly as launched (stun: no spin at contact).
const NO_CLOTH = { mu_slide: 0, mu_roll: 0, mu_spin: 0 };
const SHORT = { max_time_s: 1 };

/** Cue ball sliding along +x at v with no spin, object ball ahead with its centre `offset` to the side. */
function stunHit(v: number, cutDeg: number, params: object) {
  const offset = 2 * R * Math.sin(cutDeg * DEG);
  return simulateShot(
    {
      table: "9ft",
      balls: [
        { id: 0, x: -0.3, y: 0, vx: v, vy: 0 },
        { id: 1, x: 0, y: offset },
      ],
    },
    { params: { ...NO_CLOTH, ...params }, limits: SHORT },
  );
}

describe("stun full-ball hit", () => {
  for (const e of [1, 0.95, 0.9]) {
    it(`cue ball keeps (1−e)/2 of its speed and the object ball leaves at (1+e)/2 (e = ${e})`, () => {
      const v = 2;
      const r = stunHit(v, 0, { e_ball: e });
      expect(r.events[0]).toMatchObject({ kind: "ball-ball", ball: 0, other_ball: 1 });
      const cue = sampleAtEvent(r, 0, 0);
      const obj = sampleAtEvent(r, 1, 0);
      expect(cue.vx).toBeCloseTo(((1 - e) / 2) * v, 5);
      expect(obj.vx).toBeCloseTo(((1 + e) / 2) * v, 5);
      expect(Math.abs(cue.vy) + Math.abs(obj.vy)).toBeLessThan(1e-6);
    });
  }

  it("with default cloth friction a stun shot from close range stops the cue ball dead", () => {
    // A centre-ball hit from 2 mm away is still stun at contact; e = 1 leaves the cue ball with nothing.
    const r = simulateShot(
      {
        table: "9ft",
        balls: [
          { id: 0, x: -2 * R - 0.002, y: 0 },
          { id: 1, x: 0, y: 0 },
        ],
        strike: { direction_rad: 0, speed_m_s: 1 },
      },
      { params: { e_ball: 1 } },
    );
    const cue = r.balls.find((b) => b.id === 0)!;
    expect(Math.abs(cue.x - -2 * R)).toBeLessThan(1e-3);
  });
});

describe("stun cut shots", () => {
  for (const cut of [10, 30, 45, 60, 75]) {
    it(`separate at exactly 90° with e = 1 and no friction (cut ${cut}°)`, () => {
      const r = stunHit(2, cut, IDEAL_COLLISION_PARAMS);
      const cue = sampleAtEvent(r, 0, 0);
      const obj = sampleAtEvent(r, 1, 0);
      expect(angleBetweenDeg(cue.vx, cue.vy, obj.vx, obj.vy)).toBeCloseTo(90, 3);
    });

    it(`separate a few degrees under 90° as restitution and ball–ball friction predict (cut ${cut}°)`, () => {
      const v = 2;
      const e = DEFAULT_PHYSICS_PARAMS.e_ball;
      const mu = DEFAULT_PHYSICS_PARAMS.mu_ball;
      const r = stunHit(v, cut, {});
      const cue = sampleAtEvent(r, 0, 0);
      const obj = sampleAtEvent(r, 1, 0);
      // Prediction in the collision frame (n along the line of centres, t across it):
      const phi = cut * DEG;
      const normalImpulse = ((1 + e) / 2) * v * Math.cos(phi);
      const friction = Math.min(mu * normalImpulse, (v * Math.sin(phi)) / 7); // Coulomb, capped at no-slip
      const cueN = ((1 - e) / 2) * v * Math.cos(phi);
      const cueT = v * Math.sin(phi) - friction;
      const objN = normalImpulse;
      const objT = friction;
      const predicted = angleBetweenDeg(cueN, cueT, objN, objT);
      const measured = angleBetweenDeg(cue.vx, cue.vy, obj.vx, obj.vy);
      expect(predicted).toBeLessThan(90);
      expect(measured).toBeCloseTo(predicted, 2);
      // Throw: the object ball leaves off the line of centres by atan(friction / normal impulse).
      const lineOfCentres = Math.atan2(Math.sin(phi), Math.cos(phi));
      const objectDirection = Math.atan2(obj.vy, obj.vx);
      expect(Math.abs(objectDirection - lineOfCentres) / DEG).toBeCloseTo(Math.atan(friction / normalImpulse) / DEG, 2);
    });
  }
});

describe("rolling cue ball at a half-ball hit", () => {
  function halfBall(params: object) {
    // Natural roll from the strike (tip 2/5 R above centre), object ball half-covered: line of centres at 30°.
    const r = simulateShot(
      {
        table: "9ft",
        balls: [
          { id: 0, x: -0.6, y: 0 },
          { id: 1, x: 0, y: R },
        ],
        strike: { direction_rad: 0, speed_m_s: 1.5, vertical: 0.4 },
      },
      { params },
    );
    expect(r.events[0]).toMatchObject({ kind: "ball-ball", ball: 0, other_ball: 1 });
    const hit = r.events[0].time_s;
    const rolling = samplesOf(r, 0).find((s) => s.time_s > hit && s.state === "rolling");
    if (!rolling) throw new Error("cue ball never rolled again");
    return angleBetweenDeg(1, 0, rolling.vx, rolling.vy);
  }

  it("leaves 33.7° from its line in the ideal model (e = 1, no ball–ball friction)", () => {
    const phi = 30 * DEG;
    // After the hit the cue ball keeps v·sinφ across the line of centres plus its forward roll; sliding friction
    // then brings it to v_final = (5/7)·v_after + (2/7)·(rolling velocity before).
    const ideal = Math.atan2(Math.sin(phi), (2 / 7) * Math.cos(phi)) - phi;
    expect(ideal / DEG).toBeCloseTo(33.67, 2);
    expect(halfBall(IDEAL_COLLISION_PARAMS)).toBeCloseTo(ideal / DEG, 1);
  });

  it("leaves about 30° with real restitution and throw", () => {
    const angle = halfBall({});
    const phi = 30 * DEG;
    const e = DEFAULT_PHYSICS_PARAMS.e_ball;
    const withRestitution = Math.atan2(Math.sin(phi), ((5 / 14) * (1 - e) + 2 / 7) * Math.cos(phi)) - phi;
    expect(angle).toBeGreaterThan(28);
    expect(angle).toBeLessThan(35);
    // Ball–ball friction (against the topspin's vertical slip and the cut's sideways slip) moves it by little.
    expect(Math.abs(angle - withRestitution / DEG)).toBeLessThan(2.5);
  });
});
