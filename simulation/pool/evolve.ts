// EVOLVE: how a ball moves between events. Closed-form motion in each state (Kiefl, "pooltool theory", 2020, after
// Leckie & Greenspan 2006): while sliding, friction μs·m·g opposes the contact point's slip, whose direction stays
// fixed until it vanishes; while rolling, resistance μr·m·g opposes the velocity; spin about z decays on its own at
// 5·μsp·g/(2R). Acceleration is constant within a state, so a ball's path between two events is a parabola.
//
// Every ball is evolved by the same dt at every event (a shared clock), so a shot's state is always "at time t".

import {
  BALL_POCKETED,
  BALL_ROLLING,
  BALL_SLIDING,
  BALL_SPINNING,
  BALL_STATIONARY,
  type ShotBatch,
} from "./ball-state.ts";
import type { KernelParams } from "./kernel-params.ts";
import { f, NO_EVENT_S } from "./precision.ts";

// Below these a motion is over: 10 µm/s rolls 5·10⁻¹⁰ m before stopping; they sit well above float32 rounding of
// speeds up to the 13.5 m/s cap (ulp ≈ 1·10⁻⁶ m/s).
export const EPS_SPEED_M_S = 1e-5;
export const EPS_SLIP_M_S = 1e-5;
export const EPS_SPIN_RAD_S = 1e-4;

/** Acceleration of ball k in its current state (m/s²), written to accel[0..1]. */
export function ballAcceleration(b: ShotBatch, k: number, p: KernelParams, accel: Float64Array): void {
  const state = b.state[k];
  accel[0] = 0;
  accel[1] = 0;
  if (state === BALL_SLIDING) {
    const ux = f(b.vx[k] - f(p.R * b.wy[k]));
    const uy = f(b.vy[k] + f(p.R * b.wx[k]));
    const u = f(Math.sqrt(f(f(ux * ux) + f(uy * uy))));
    if (u > 0) {
      accel[0] = f(-f(p.slide_decel * f(ux / u)));
      accel[1] = f(-f(p.slide_decel * f(uy / u)));
    }
  } else if (state === BALL_ROLLING) {
    const v = f(Math.sqrt(f(f(b.vx[k] * b.vx[k]) + f(b.vy[k] * b.vy[k]))));
    if (v > 0) {
      accel[0] = f(-f(p.roll_decel * f(b.vx[k] / v)));
      accel[1] = f(-f(p.roll_decel * f(b.vy[k] / v)));
    }
  }
}

/** Time until ball k leaves its current state (slide → roll, roll → spin/rest, spin → rest), or NO_EVENT_S. */
export function transitionTime(b: ShotBatch, k: number, p: KernelParams): number {
  const state = b.state[k];
  if (state === BALL_SLIDING) {
    if (p.slip_decel <= 0) return NO_EVENT_S;
    const ux = f(b.vx[k] - f(p.R * b.wy[k]));
    const uy = f(b.vy[k] + f(p.R * b.wx[k]));
    return f(f(Math.sqrt(f(f(ux * ux) + f(uy * uy)))) / p.slip_decel);
  }
  if (state === BALL_ROLLING) {
    if (p.roll_decel <= 0) return NO_EVENT_S;
    return f(f(Math.sqrt(f(f(b.vx[k] * b.vx[k]) + f(b.vy[k] * b.vy[k])))) / p.roll_decel);
  }
  if (state === BALL_SPINNING) {
    if (p.spin_decel <= 0) return NO_EVENT_S;
    return f(Math.abs(b.wz[k]) / p.spin_decel);
  }
  return NO_EVENT_S;
}

function decaySpinZ(b: ShotBatch, k: number, dt: number, p: KernelParams): void {
  const wz = b.wz[k];
  const drop = f(p.spin_decel * dt);
  if (wz > 0) b.wz[k] = wz > drop ? f(wz - drop) : 0;
  else if (wz < 0) b.wz[k] = -wz > drop ? f(wz + drop) : 0;
}

/**
 * Moves ball k forward by dt within its current state. dt never crosses the ball's transition in exact arithmetic
 * (the kernel steps to the earliest event); the clamps absorb rounding so speed never reverses.
 */
export function evolveBall(b: ShotBatch, k: number, dt: number, p: KernelParams): void {
  const state = b.state[k];
  if (state === BALL_STATIONARY || state === BALL_POCKETED || dt <= 0) return;
  if (state === BALL_SPINNING) {
    decaySpinZ(b, k, dt, p);
    return;
  }
  const vx = b.vx[k];
  const vy = b.vy[k];
  if (state === BALL_SLIDING) {
    const ux = f(vx - f(p.R * b.wy[k]));
    const uy = f(vy + f(p.R * b.wx[k]));
    const u = f(Math.sqrt(f(f(ux * ux) + f(uy * uy))));
    if (u > 0) {
      const t = Math.min(dt, f(u / p.slip_decel));
      const ex = f(ux / u);
      const ey = f(uy / u);
      const dv = f(p.slide_decel * t);
      const half = f(f(0.5 * dv) * t);
      b.px[k] = f(b.px[k] + f(f(vx * t) - f(half * ex)));
      b.py[k] = f(b.py[k] + f(f(vy * t) - f(half * ey)));
      b.vx[k] = f(vx - f(dv * ex));
      b.vy[k] = f(vy - f(dv * ey));
      // Torque R·ẑ × (friction) spins the ball up about ẑ × û.
      const dw = f(p.slide_spin_accel * t);
      b.wx[k] = f(b.wx[k] - f(dw * ey));
      b.wy[k] = f(b.wy[k] + f(dw * ex));
    } else {
      b.px[k] = f(b.px[k] + f(vx * dt));
      b.py[k] = f(b.py[k] + f(vy * dt));
    }
  } else {
    const v = f(Math.sqrt(f(f(vx * vx) + f(vy * vy))));
    if (v > 0) {
      const t = Math.min(dt, f(v / p.roll_decel));
      const ex = f(vx / v);
      const ey = f(vy / v);
      const dv = f(p.roll_decel * t);
      const half = f(f(0.5 * dv) * t);
      b.px[k] = f(b.px[k] + f(f(vx * t) - f(half * ex)));
      b.py[k] = f(b.py[k] + f(f(vy * t) - f(half * ey)));
      const nvx = f(vx - f(dv * ex));
      const nvy = f(vy - f(dv * ey));
      b.vx[k] = nvx;
      b.vy[k] = nvy;
      b.wx[k] = f(-nvy / p.R);
      b.wy[k] = f(nvx / p.R);
    }
  }
  decaySpinZ(b, k, dt, p);
}

/** Kinetic energy of ball k per unit mass (J/kg): ½v² + ½(2/5)R²ω². */
export function specificEnergy(b: ShotBatch, k: number, R: number): number {
  const v2 = b.vx[k] * b.vx[k] + b.vy[k] * b.vy[k];
  const w2 = b.wx[k] * b.wx[k] + b.wy[k] * b.wy[k] + b.wz[k] * b.wz[k];
  return 0.5 * v2 + 0.2 * R * R * w2;
}
