// RESOLVE: what happens at an event. Instantaneous impulses; every model here only removes kinetic energy.
//   ball–ball: restitution along the line of centres; Coulomb friction at the contact (throw and spin transfer),
//     capped where the contact stops slipping (Alciatore, TP A-14, as generalised in pooltool's
//     frictional_inelastic model; the 1/7 cap is derived in docs/physics.md).
//   ball–cushion: Han (2005), "Dynamics in carom and three cushion billiards": the contact point sits on the
//     cushion nose above the ball's centre, the normal impulse uses restitution e, friction μ acts against the slip
//     there (side spin and topspin change the rebound), with e falling at high normal speed.
//   pocket: the ball leaves the table.
//   transition: a ball changes state when its slip, speed or spin runs out.

import {
  BALL_POCKETED,
  BALL_ROLLING,
  BALL_SLIDING,
  BALL_SPINNING,
  BALL_STATIONARY,
  type ShotBatch,
} from "./ball-state.ts";
import { CONTACT_SLACK_M, EPS_APPROACH_M_S } from "./detect.ts";
import { BALLS_PER_TABLE, LINE_CUSHION_COUNT, LINE_STRIDE } from "./equipment.ts";
import { EPS_SLIP_M_S, EPS_SPEED_M_S, EPS_SPIN_RAD_S } from "./evolve.ts";
import type { KernelParams, KernelTable } from "./kernel-params.ts";
import { f } from "./precision.ts";

/**
 * Detection reports a touching pair once it approaches faster than EPS_APPROACH_M_S; resolution takes anything
 * above half that as an impact, so rounding between the two can never make a reported contact a no-op.
 */
const IMPACT_MIN_APPROACH_M_S = 0.5 * EPS_APPROACH_M_S;
/** Impacts slower than this are contacts of a ball pushed along by another (see resolveBallBall). */
const PUSH_APPROACH_M_S = 2 * EPS_APPROACH_M_S;

/** Gives ball k the state its velocities imply, snapping tiny slips, speeds and spins to exactly zero. */
export function settleState(b: ShotBatch, k: number, p: KernelParams): void {
  if (b.state[k] === BALL_POCKETED) return;
  const ux = f(b.vx[k] - f(p.R * b.wy[k]));
  const uy = f(b.vy[k] + f(p.R * b.wx[k]));
  if (f(f(ux * ux) + f(uy * uy)) > EPS_SLIP_M_S * EPS_SLIP_M_S) {
    b.state[k] = BALL_SLIDING;
    return;
  }
  const v2 = f(f(b.vx[k] * b.vx[k]) + f(b.vy[k] * b.vy[k]));
  if (v2 > EPS_SPEED_M_S * EPS_SPEED_M_S) {
    b.wx[k] = f(-b.vy[k] / p.R);
    b.wy[k] = f(b.vx[k] / p.R);
    b.state[k] = BALL_ROLLING;
    return;
  }
  stopRolling(b, k);
}

// The ball has no speed left: it spins in place if it still has z-spin, else it is at rest.
function stopRolling(b: ShotBatch, k: number): void {
  b.vx[k] = 0;
  b.vy[k] = 0;
  b.wx[k] = 0;
  b.wy[k] = 0;
  if (Math.abs(b.wz[k]) > EPS_SPIN_RAD_S) {
    b.state[k] = BALL_SPINNING;
  } else {
    b.wz[k] = 0;
    b.state[k] = BALL_STATIONARY;
  }
}

/** The state change that ball k's transition time announced. */
export function resolveTransition(b: ShotBatch, k: number, p: KernelParams): void {
  const state = b.state[k];
  if (state === BALL_SLIDING) {
    // Slip is gone: lock the spin to the roll (removes the rounding remainder of the slip).
    b.wx[k] = f(-b.vy[k] / p.R);
    b.wy[k] = f(b.vx[k] / p.R);
    const v2 = f(f(b.vx[k] * b.vx[k]) + f(b.vy[k] * b.vy[k]));
    if (v2 > EPS_SPEED_M_S * EPS_SPEED_M_S) {
      b.state[k] = BALL_ROLLING;
      return;
    }
  } else if (state === BALL_SPINNING) {
    b.wz[k] = 0;
  }
  stopRolling(b, k);
}

/** Collision of balls i and j, touching now. */
export function resolveBallBall(b: ShotBatch, i: number, j: number, p: KernelParams): void {
  const dx = f(b.px[j] - b.px[i]);
  const dy = f(b.py[j] - b.py[i]);
  const dist = f(Math.sqrt(f(f(dx * dx) + f(dy * dy))));
  if (dist === 0) return;
  const nx = f(dx / dist); // line of centres, i → j
  const ny = f(dy / dist);
  if (dist < p.two_R) {
    // Rounding (and a contact found only once the pair approaches faster than the rest threshold) can leave the
    // two a hair inside each other: they are set exactly touching, each moved half the overlap along the line of
    // centres, as they would be at the instant of contact.
    const half = f(0.5 * f(p.two_R - dist));
    b.px[i] = f(b.px[i] - f(half * nx));
    b.py[i] = f(b.py[i] - f(half * ny));
    b.px[j] = f(b.px[j] + f(half * nx));
    b.py[j] = f(b.py[j] + f(half * ny));
  }
  const tx = -ny; // tangent ẑ × n
  const ty = nx;
  let v1n = f(f(b.vx[i] * nx) + f(b.vy[i] * ny));
  let v2n = f(f(b.vx[j] * nx) + f(b.vy[j] * ny));
  let approach = f(v1n - v2n);
  if (approach <= IMPACT_MIN_APPROACH_M_S) {
    // At rest against each other, pressed together by cloth friction: a sliding ball pushes the other along. The
    // rest of its slide is delivered at once, and the impact below passes it on.
    let pushed = false;
    if (b.state[i] === BALL_SLIDING) pushed = endSlide(b, i, p);
    if (b.state[j] === BALL_SLIDING) pushed = endSlide(b, j, p) || pushed;
    if (!pushed) return;
    v1n = f(f(b.vx[i] * nx) + f(b.vy[i] * ny));
    v2n = f(f(b.vx[j] * nx) + f(b.vy[j] * ny));
    approach = f(v1n - v2n);
    if (approach <= IMPACT_MIN_APPROACH_M_S) return;
  }
  const v1t = f(f(b.vx[i] * tx) + f(b.vy[i] * ty));
  const v2t = f(f(b.vx[j] * tx) + f(b.vy[j] * ty));
  // A pair that meets this slowly is a ball pushed along by another, in contact and pressed together by the cloth
  // (the contact is reported each time the pair approaches at EPS_APPROACH_M_S): a sustained contact does no work
  // along the normal, so these contacts give the approach back whole and the pair neither sinks in nor sticks.
  const e = approach <= PUSH_APPROACH_M_S ? 1 : p.e_ball;
  // Normal: equal masses, restitution e.
  const v1nAfter = f(0.5 * f(f(f(1 - e) * v1n) + f(f(1 + e) * v2n)));
  const v2nAfter = f(0.5 * f(f(f(1 + e) * v1n) + f(f(1 - e) * v2n)));
  const normalImpulse = f(f(0.5 * f(1 + e)) * approach); // per unit mass
  // Slip of ball i's surface over ball j's at the contact, in the contact plane (components along t and z).
  const slipT = f(f(v1t - v2t) + f(p.R * f(b.wz[i] + b.wz[j])));
  const slipZ = f(p.R * f(f(f(b.wx[i] + b.wx[j]) * ny) - f(f(b.wy[i] + b.wy[j]) * nx)));
  const slip = f(Math.sqrt(f(f(slipT * slipT) + f(slipZ * slipZ))));
  let jt = 0;
  let jz = 0;
  if (slip > 0 && p.mu_ball > 0) {
    // Friction impulse (per unit mass) on ball i: Coulomb μ·J_n against the slip, but no more than stops it
    // (a tangential impulse J changes the slip by 7J: 2J from the two velocities, 5J from the two spins).
    const magnitude = Math.min(f(p.mu_ball * normalImpulse), f(slip / 7));
    jt = f(-f(magnitude * f(slipT / slip)));
    jz = f(-f(magnitude * f(slipZ / slip)));
  }
  b.vx[i] = f(f(v1nAfter * nx) + f(f(v1t + jt) * tx));
  b.vy[i] = f(f(v1nAfter * ny) + f(f(v1t + jt) * ty));
  b.vx[j] = f(f(v2nAfter * nx) + f(f(v2t - jt) * tx));
  b.vy[j] = f(f(v2nAfter * ny) + f(f(v2t - jt) * ty));
  // Both balls get the same spin change (5/(2R))·n × J, J = jt·t + jz·ẑ: n × t = ẑ, n × ẑ = −t.
  if (jt !== 0 || jz !== 0) {
    const dwz = f(p.five_over_two_R * jt);
    const dwt = f(-f(p.five_over_two_R * jz));
    const dwx = f(dwt * tx);
    const dwy = f(dwt * ty);
    b.wx[i] = f(b.wx[i] + dwx);
    b.wy[i] = f(b.wy[i] + dwy);
    b.wz[i] = f(b.wz[i] + dwz);
    b.wx[j] = f(b.wx[j] + dwx);
    b.wy[j] = f(b.wy[j] + dwy);
    b.wz[j] = f(b.wz[j] + dwz);
  }
  settleState(b, i, p);
  settleState(b, j, p);
  separate(b, i, j, nx, ny, p);
}

/**
 * Ball k, sliding, is held against another body: the friction impulse the rest of its slide would give (the slip
 * decays to zero, 2/7 of it off the velocity) is applied now, without moving the ball. Returns false if the cloth has
 * no friction to do it.
 */
function endSlide(b: ShotBatch, k: number, p: KernelParams): boolean {
  if (p.slip_decel <= 0) return false;
  const ux = f(b.vx[k] - f(p.R * b.wy[k]));
  const uy = f(b.vy[k] + f(p.R * b.wx[k]));
  const u = f(Math.sqrt(f(f(ux * ux) + f(uy * uy))));
  if (u === 0) return false;
  const t = f(u / p.slip_decel);
  const ex = f(ux / u);
  const ey = f(uy / u);
  const dv = f(p.slide_decel * t);
  const dw = f(p.slide_spin_accel * t);
  b.vx[k] = f(b.vx[k] - f(dv * ex));
  b.vy[k] = f(b.vy[k] - f(dv * ey));
  b.wx[k] = f(b.wx[k] - f(dw * ey));
  b.wy[k] = f(b.wy[k] + f(dw * ex));
  settleState(b, k, p);
  return true;
}

/**
 * After an impact the pair must not still approach: settleState may have stopped the struck ball while the striker
 * still moves in. What is left of the approach is shared (a perfectly inelastic remainder, which only removes
 * energy), so the two move on together at rest against each other.
 */
function separate(b: ShotBatch, i: number, j: number, nx: number, ny: number, p: KernelParams): void {
  const v1n = f(f(b.vx[i] * nx) + f(b.vy[i] * ny));
  const v2n = f(f(b.vx[j] * nx) + f(b.vy[j] * ny));
  const rest = f(v1n - v2n);
  if (rest <= 0) return;
  const half = f(0.5 * rest);
  b.vx[i] = f(b.vx[i] - f(half * nx));
  b.vy[i] = f(b.vy[i] - f(half * ny));
  b.vx[j] = f(b.vx[j] + f(half * nx));
  b.vy[j] = f(b.vy[j] + f(half * ny));
  settleState(b, i, p);
  settleState(b, j, p);
}

/**
 * Ball k meets a cushion whose surface normal (unit, pointing from the cushion towards the ball) is (nx, ny).
 * Han (2005) in the cushion frame: x' into the cushion, y' along it, z up; the contact point is at elevation θ
 * above the ball's centre, sin θ = h/R − 1.
 */
export function resolveBallCushion(
  b: ShotBatch,
  k: number,
  nx: number,
  ny: number,
  p: KernelParams,
  table: KernelTable,
): void {
  const xx = -nx;
  const xy = -ny;
  const yx = -xy; // ẑ × x'
  const yy = xx;
  let vx = f(f(b.vx[k] * xx) + f(b.vy[k] * xy));
  if (vx <= IMPACT_MIN_APPROACH_M_S) {
    // At rest against the cushion: a sliding ball pressed into it by cloth friction delivers the rest of its slide
    // now, and rebounds from that.
    if (b.state[k] !== BALL_SLIDING || !endSlide(b, k, p)) return;
    vx = f(f(b.vx[k] * xx) + f(b.vy[k] * xy));
    if (vx <= IMPACT_MIN_APPROACH_M_S) return;
  }
  const vy = f(f(b.vx[k] * yx) + f(b.vy[k] * yy));
  const wx = f(f(b.wx[k] * xx) + f(b.wy[k] * xy));
  const wy = f(f(b.wx[k] * yx) + f(b.wy[k] * yy));
  const wz = b.wz[k];
  const sin = table.cushion_sin;
  const cos = table.cushion_cos;
  const R = p.R;
  let e = p.e_cushion;
  if (vx > p.cushion_knee_m_s) {
    e = f(e - f(p.cushion_slope_s_m * f(vx - p.cushion_knee_m_s)));
    if (e < p.cushion_e_min) e = p.cushion_e_min;
  }
  // Slip of the ball's surface at the contact point: sx along the nose's tangent in the vertical plane, sy along
  // the cushion (sign convention of Han's eqs. 14).
  const sx = f(f(vx * sin) + f(R * wy));
  const sy = f(f(-vy - f(f(R * wz) * cos)) + f(f(R * wx) * sin));
  const normal = f(f(1 + e) * f(vx * cos)); // normal impulse per unit mass
  const slip = f(Math.sqrt(f(f(sx * sx) + f(sy * sy))));
  // Friction impulse per unit mass: stops the slip if μ·P_n allows it (a tangential impulse J changes the slip
  // by 7J/2), else slides with μ·P_n against it.
  let k_f = 0;
  if (slip > 0) {
    const stick = f(f(2 * slip) / 7);
    const limit = f(p.mu_cushion * normal);
    k_f = stick <= limit ? f(2 / 7) : f(limit / slip);
  }
  const PX = f(f(-f(f(k_f * sx) * sin)) - f(normal * cos));
  const PY = f(k_f * sy);
  const PZ = f(f(f(k_f * sx) * cos) - f(normal * sin));
  // A cushion never lets a ball on into it (low restitution with friction could): at worst the ball stops against it.
  const nvx = Math.min(f(vx + PX), 0);
  const nvy = f(vy + PY);
  const c5 = p.five_over_two_R;
  const nwx = f(wx - f(f(c5 * PY) * sin));
  const nwy = f(wy + f(c5 * f(f(PX * sin) - f(PZ * cos))));
  const nwz = f(wz + f(f(c5 * PY) * cos));
  // Back to the table frame; the vertical velocity PZ would give is dropped (balls stay on the slate).
  b.vx[k] = f(f(nvx * xx) + f(nvy * yx));
  b.vy[k] = f(f(nvx * xy) + f(nvy * yy));
  b.wx[k] = f(f(nwx * xx) + f(nwy * yx));
  b.wy[k] = f(f(nwx * xy) + f(nwy * yy));
  b.wz[k] = nwz;
  settleState(b, k, p);
}

/** Ball k drops into pocket `pocket`. */
export function resolvePocket(b: ShotBatch, k: number, pocket: number): void {
  b.state[k] = BALL_POCKETED;
  b.pocket[k] = pocket;
  b.vx[k] = 0;
  b.vy[k] = 0;
  b.wx[k] = 0;
  b.wy[k] = 0;
  b.wz[k] = 0;
}

/**
 * The shot is over (every ball at rest, or a cap reached and every ball stopped where it was): pairs left a hair
 * inside each other (a pair pressed together more slowly than the rest threshold comes to rest so, by at most a few
 * micrometres) are set exactly touching, and balls a hair behind a cushion's nose are set against it, so the table
 * is a valid start for the next shot. Bounded passes; balls that need nothing never move.
 */
export function restTable(b: ShotBatch, base: number, p: KernelParams, table: KernelTable): void {
  for (let pass = 0; pass < REST_PASSES; pass++) {
    let moved = false;
    for (let i = 0; i < BALLS_PER_TABLE; i++) {
      const ki = base + i;
      if (b.state[ki] === BALL_POCKETED) continue;
      for (let j = i + 1; j < BALLS_PER_TABLE; j++) {
        const kj = base + j;
        if (b.state[kj] === BALL_POCKETED) continue;
        const dx = f(b.px[kj] - b.px[ki]);
        const dy = f(b.py[kj] - b.py[ki]);
        const dist = f(Math.sqrt(f(f(dx * dx) + f(dy * dy))));
        if (dist >= p.two_R || dist === 0) continue;
        const nx = f(dx / dist);
        const ny = f(dy / dist);
        const half = f(0.5 * f(p.two_R - dist));
        b.px[ki] = f(b.px[ki] - f(half * nx));
        b.py[ki] = f(b.py[ki] - f(half * ny));
        b.px[kj] = f(b.px[kj] + f(half * nx));
        b.py[kj] = f(b.py[kj] + f(half * ny));
        moved = true;
      }
      for (let c = 0; c < LINE_CUSHION_COUNT; c++) {
        const o = c * LINE_STRIDE;
        const l = table.lines;
        const sx = f(l[o + 2] - l[o]);
        const sy = f(l[o + 3] - l[o + 1]);
        const along = f(f(f(b.px[ki] - l[o]) * sx) + f(f(b.py[ki] - l[o + 1]) * sy));
        if (along < 0 || along > f(f(sx * sx) + f(sy * sy))) continue;
        const g = f(f(f(f(b.px[ki] - l[o]) * l[o + 4]) + f(f(b.py[ki] - l[o + 1]) * l[o + 5])) - p.R);
        if (g >= 0 || g <= -CONTACT_SLACK_M) continue;
        b.px[ki] = f(b.px[ki] - f(g * l[o + 4]));
        b.py[ki] = f(b.py[ki] - f(g * l[o + 5]));
        moved = true;
      }
    }
    if (!moved) break;
  }
}

/** Passes of restTable: a frozen cluster passes a correction along at most this many balls. */
const REST_PASSES = 8;

/** Every ball that still moves stops where it is (a cap was reached). */
export function stopAll(b: ShotBatch, base: number): void {
  for (let i = 0; i < BALLS_PER_TABLE; i++) {
    const k = base + i;
    if (b.state[k] === BALL_POCKETED) continue;
    b.vx[k] = 0;
    b.vy[k] = 0;
    b.wx[k] = 0;
    b.wy[k] = 0;
    b.wz[k] = 0;
    b.state[k] = BALL_STATIONARY;
  }
}
