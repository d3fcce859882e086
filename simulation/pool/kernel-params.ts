// Parameters and table geometry as the kernel reads them: rounded to the working precision once per batch, with
// the derived rates precomputed (the WGSL port receives the same numbers in a uniform buffer).

import {
  CIRCLE_CUSHION_COUNT,
  CIRCLE_STRIDE,
  LINE_CUSHION_COUNT,
  LINE_STRIDE,
  POCKET_COUNT,
  type TableGeometry,
} from "./equipment.ts";
import type { PhysicsParams } from "./params.ts";
import { allocFloats, type FloatArray, f, type Precision } from "./precision.ts";

export interface KernelParams {
  R: number;
  two_R: number;
  /** 5/(2R): angular velocity change per unit tangential velocity impulse at the ball's surface (1/m). */
  five_over_two_R: number;
  /** Sliding: linear deceleration μs·g (m/s²), angular acceleration 5μs·g/(2R) (rad/s²), slip decay 7μs·g/2. */
  slide_decel: number;
  slide_spin_accel: number;
  slip_decel: number;
  /** Rolling: deceleration μr·g (m/s²). */
  roll_decel: number;
  /** Spin about z: deceleration 5μsp·g/(2R) (rad/s²). */
  spin_decel: number;
  e_ball: number;
  mu_ball: number;
  e_cushion: number;
  mu_cushion: number;
  cushion_knee_m_s: number;
  cushion_slope_s_m: number;
  cushion_e_min: number;
}

export interface KernelTable {
  lines: FloatArray;
  circles: FloatArray;
  pockets: FloatArray;
  half_length_m: number;
  half_width_m: number;
  /** Contact point on the cushion nose: sin and cos of its elevation above the ball's centre, asin(h/R − 1). */
  cushion_sin: number;
  cushion_cos: number;
}

/** Call after setPrecision: rounds with the current precision. */
export function buildKernelParams(p: PhysicsParams): KernelParams {
  const R = f(p.ball_radius_m);
  const g = f(p.gravity_m_s2);
  return {
    R,
    two_R: f(2 * R),
    five_over_two_R: f(5 / f(2 * R)),
    slide_decel: f(f(p.mu_slide) * g),
    slide_spin_accel: f(f(f(5 * f(p.mu_slide)) * g) / f(2 * R)),
    slip_decel: f(f(3.5 * f(p.mu_slide)) * g),
    roll_decel: f(f(p.mu_roll) * g),
    spin_decel: f(f(f(5 * f(p.mu_spin)) * g) / f(2 * R)),
    e_ball: f(p.e_ball),
    mu_ball: f(p.mu_ball),
    e_cushion: f(p.e_cushion),
    mu_cushion: f(p.mu_cushion),
    cushion_knee_m_s: f(p.cushion_restitution_knee_m_s),
    cushion_slope_s_m: f(p.cushion_restitution_slope_s_m),
    cushion_e_min: f(p.cushion_restitution_min),
  };
}

export function buildKernelTable(precision: Precision, geometry: TableGeometry, params: PhysicsParams): KernelTable {
  const lines = allocFloats(precision, LINE_CUSHION_COUNT * LINE_STRIDE);
  const circles = allocFloats(precision, CIRCLE_CUSHION_COUNT * CIRCLE_STRIDE);
  const pockets = allocFloats(precision, POCKET_COUNT * CIRCLE_STRIDE);
  lines.set(geometry.lines);
  circles.set(geometry.circles);
  pockets.set(geometry.pockets);
  const lift = (params.cushion_height_m ?? geometry.spec.cushion_height_m) / params.ball_radius_m - 1;
  if (!(lift >= 0 && lift < 1)) {
    throw new RangeError("the cushion's nose must sit between R and 2R above the slate");
  }
  return {
    lines,
    circles,
    pockets,
    half_length_m: f(geometry.half_length_m),
    half_width_m: f(geometry.half_width_m),
    cushion_sin: f(lift),
    cushion_cos: f(Math.sqrt(1 - lift * lift)),
  };
}
