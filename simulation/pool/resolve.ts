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
import { EPS_SLIP_M_S, EPS_SPEED_M_S, EPS_SPIN_RAD_S } from "./evolve.ts";
import type { KernelParams, KernelTable } from "./kernel-params.ts";
import { f } from "./precision.ts";

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
  const tx = -ny; // tangent ẑ × n
  const ty = nx;
  const v1n = f(f(b.vx[i] * nx) + f(b.vy[i] * ny));
  const v2n = f(f(b.vx[j] * nx) + f(b.vy[j] * ny));
  const approach = f(v1n - v2n);
  if (approach <= 0) return;
  const v1t = f(f(b.vx[i] * tx) + f(b.vy[i] * ty));
  const v2t = f(f(b.vx[j] * tx) + f(b.vy[j] * ty));
  const e = p.e_ball;
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
  const vx = f(f(b.vx[k] * xx) + f(b.vy[k] * xy));
  if (vx <= 0) return; // moving away already
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
  const nvx = f(vx + PX);
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
