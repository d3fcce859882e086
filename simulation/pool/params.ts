// Physical parameters of ball, cloth and cushion. Units are in the names; docs/physics.md cites each value.
// Defaults follow pooltool's BallParams (ekiefl/pooltool, pooltool/objects/ball/params.py), which takes most of them
// from Dr. Dave Alciatore's "physical properties" page (billiards.colostate.edu/faq/physics/physical-properties/).

import { WPA_BALL_MASS_KG, WPA_BALL_RADIUS_M } from "./equipment.ts";

export interface PhysicsParams {
  ball_radius_m: number;
  ball_mass_kg: number;
  gravity_m_s2: number;
  /** Ball–cloth sliding friction coefficient (dimensionless); acts while the contact point slips. */
  mu_slide: number;
  /** Ball–cloth rolling resistance coefficient (dimensionless); deceleration mu_roll·g while rolling. */
  mu_roll: number;
  /** Ball–cloth spinning friction coefficient (dimensionless, pooltool's u_sp); z-spin decays at 5·mu_spin·g/(2R). */
  mu_spin: number;
  /** Ball–ball coefficient of restitution along the line of centres. */
  e_ball: number;
  /** Ball–ball sliding friction coefficient (throw). 0 gives frictionless collisions. */
  mu_ball: number;
  /** Ball–cushion coefficient of restitution along the contact normal (Han 2005) at low normal speed. */
  e_cushion: number;
  /** Ball–cushion sliding friction coefficient (Han 2005). */
  mu_cushion: number;
  /**
   * Normal speed above which the cushion's restitution starts to fall (the cushion deforms, Mathavan et al. 2010
   * found the rigid-cushion model valid below about 2.5 m/s).
   */
  cushion_restitution_knee_m_s: number;
  /** Fall of the cushion's restitution per m/s of normal speed above the knee (s/m). 0 turns the effect off. */
  cushion_restitution_slope_s_m: number;
  /** Floor for the cushion's restitution at high speed. */
  cushion_restitution_min: number;
  /** Overrides the table's cushion nose height (m), in [R, 2R); absent: the table's (WPA 63.5 % of 2R). */
  cushion_height_m?: number;
}

export const DEFAULT_PHYSICS_PARAMS: Readonly<PhysicsParams> = Object.freeze({
  ball_radius_m: WPA_BALL_RADIUS_M,
  ball_mass_kg: WPA_BALL_MASS_KG,
  gravity_m_s2: 9.81,
  mu_slide: 0.2,
  mu_roll: 0.01,
  mu_spin: ((10 * 2) / 5 / 9) * WPA_BALL_RADIUS_M,
  e_ball: 0.95,
  mu_ball: 0.05,
  e_cushion: 0.85,
  mu_cushion: 0.2,
  cushion_restitution_knee_m_s: 2.5,
  cushion_restitution_slope_s_m: 0.04,
  cushion_restitution_min: 0.6,
});

/** The ideal model of textbook derivations: elastic, frictionless collisions (cloth friction unchanged). */
export const IDEAL_COLLISION_PARAMS: Readonly<Partial<PhysicsParams>> = Object.freeze({
  e_ball: 1,
  mu_ball: 0,
  e_cushion: 1,
  mu_cushion: 0,
  cushion_restitution_slope_s_m: 0,
});

const PARAM_BOUNDS: Record<Exclude<keyof PhysicsParams, "cushion_height_m">, [number, number]> = {
  ball_radius_m: [0.01, 0.05],
  ball_mass_kg: [0.05, 0.5],
  gravity_m_s2: [1, 20],
  mu_slide: [0, 1],
  mu_roll: [0, 0.2],
  mu_spin: [0, 0.2],
  e_ball: [0, 1],
  mu_ball: [0, 1],
  e_cushion: [0, 1],
  mu_cushion: [0, 1],
  cushion_restitution_knee_m_s: [0, 20],
  cushion_restitution_slope_s_m: [0, 1],
  cushion_restitution_min: [0, 1],
};

export function resolvePhysicsParams(overrides: Partial<PhysicsParams> | undefined): PhysicsParams {
  const params: PhysicsParams = { ...DEFAULT_PHYSICS_PARAMS, ...overrides };
  for (const key of Object.keys(PARAM_BOUNDS) as (keyof typeof PARAM_BOUNDS)[]) {
    const [lo, hi] = PARAM_BOUNDS[key];
    const value = params[key];
    if (!Number.isFinite(value) || value < lo || value > hi) {
      throw new RangeError(`physics parameter ${key}=${value} is outside [${lo}, ${hi}]`);
    }
  }
  const h = params.cushion_height_m;
  if (h !== undefined && !(h >= params.ball_radius_m && h < 2 * params.ball_radius_m)) {
    throw new RangeError(`cushion_height_m=${h} must lie in [R, 2R)`);
  }
  return params;
}
