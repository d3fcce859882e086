// The properties every simulated shot must have, whatever the backend: it ran to rest within its limits, every ball
// is at rest or pocketed, no two balls overlap, the energy never rose, and the final table is a valid next shot.

import {
  DEFAULT_PHYSICS_PARAMS,
  type ShotInput,
  type ShotResult,
  validateShotInput,
} from "../../../simulation/pool/index.ts";
import { OVERLAP_TOLERANCE_M } from "../../../simulation/pool/simulate-shots.ts";

const R = DEFAULT_PHYSICS_PARAMS.ball_radius_m;

/** What is wrong with a result, or null: the properties every shot must have. */
export function shotViolation(shot: ShotInput, r: ShotResult, { capsAllowed = false } = {}): string | null {
  if (!r.complete && !capsAllowed) return `reached a cap: ${JSON.stringify(r.caps)} after ${r.steps} steps`;
  const moving = r.balls.filter((b) => b.state !== "stationary" && b.state !== "pocketed");
  if (moving.length > 0) return `balls not at rest: ${moving.map((b) => `${b.id} ${b.state}`).join(", ")}`;
  const on = r.balls.filter((b) => b.pocket === null);
  for (let i = 0; i < on.length; i++) {
    for (let j = i + 1; j < on.length; j++) {
      const gap = Math.hypot(on[i].x - on[j].x, on[i].y - on[j].y) - 2 * R;
      if (gap < -OVERLAP_TOLERANCE_M)
        return `balls ${on[i].id} and ${on[j].id} overlap by ${(-gap * 1e6).toFixed(2)} µm`;
    }
  }
  const e = r.energy_trace;
  if (e) {
    // Float32 rounding of a 50 J/kg total is ~3e-6 J/kg; anything larger would be a real gain.
    for (let i = 1; i < e.length; i++)
      if (e[i] > e[i - 1] * (1 + 1e-6) + 1e-9) return `energy rose at step ${i >> 1}: ${e[i - 1]} → ${e[i]} J/kg`;
  }
  if (on.length === 0) return null; // every ball dropped: the next shot starts from the cue ball in hand
  try {
    validateShotInput({ table: shot.table, balls: on.map(({ id, x, y }) => ({ id, x, y })) }, DEFAULT_PHYSICS_PARAMS);
  } catch (error) {
    return `final table is not a valid next shot: ${(error as Error).message}`;
  }
  return null;
}
