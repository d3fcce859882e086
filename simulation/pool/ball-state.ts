// Ball motion states and the structure-of-arrays batch that the kernel reads and writes. One shot owns the slice
// [shot·16, shot·16 + 16) of every per-ball array and [shot·cap, shot·cap + cap) of every output buffer, so shots
// never share memory: one GPU invocation (or one worker) can run one shot.

import { BALLS_PER_TABLE } from "./equipment.ts";
import { allocFloats, type FloatArray, type Precision } from "./precision.ts";

// Numbering as in pooltool (pooltool/constants.py).
export const BALL_STATIONARY = 0;
export const BALL_SPINNING = 1;
export const BALL_SLIDING = 2;
export const BALL_ROLLING = 3;
export const BALL_POCKETED = 4;
export const BALL_STATE_NAMES = ["stationary", "spinning", "sliding", "rolling", "pocketed"] as const;
export type BallStateName = (typeof BALL_STATE_NAMES)[number];

/** Pocket id of a ball that was not on the table when the shot began. */
export const NOT_ON_TABLE = -2;
/** Pocket id of a ball on the table. */
export const NO_POCKET = -1;

export const EVENT_BALL_BALL = 1;
export const EVENT_BALL_CUSHION = 2;
export const EVENT_BALL_POCKET = 3;
export const EVENT_TRANSITION = 4;

// Shot flags: each says a cap was reached; none is set for a shot that ran to rest within its limits.
export const FLAG_EVENT_BUFFER_OVERFLOW = 1; // events happened that the event buffer had no room for
export const FLAG_KEYFRAME_BUFFER_OVERFLOW = 2;
export const FLAG_STEP_CAP_REACHED = 4; // stopped before rest: too many steps
export const FLAG_TIME_CAP_REACHED = 8; // stopped before rest: simulated time ran out

export const KEYFRAME_STRIDE = 7; // x, y, vx, vy, wx, wy, wz

export interface BatchLimits {
  /** Events recorded per shot (ball–ball, cushion, pocket and, if asked for, transitions). */
  event_capacity: number;
  /** Keyframes recorded per shot. */
  keyframe_capacity: number;
  /** Kernel steps (one per event, transitions included) before a shot is cut off. */
  max_steps: number;
  /** Simulated seconds before a shot is cut off. */
  max_time_s: number;
}

// A ball pushed along by another is a run of contacts at the rest threshold, each with two keyframes: the
// longest pushes seen in the property test's random tables take about 1,400 keyframes and 500 events.
export const DEFAULT_BATCH_LIMITS: Readonly<BatchLimits> = Object.freeze({
  event_capacity: 1024,
  keyframe_capacity: 2048,
  max_steps: 4096,
  max_time_s: 120,
});

export interface ShotBatch {
  precision: Precision;
  shot_count: number;
  limits: BatchLimits;
  // Per ball (shot_count × 16).
  px: FloatArray;
  py: FloatArray;
  vx: FloatArray;
  vy: FloatArray;
  wx: FloatArray;
  wy: FloatArray;
  wz: FloatArray;
  state: Int32Array;
  pocket: Int32Array;
  // Per shot.
  table: Int32Array;
  time_s: FloatArray;
  steps: Int32Array;
  event_count: Int32Array;
  keyframe_count: Int32Array;
  flags: Int32Array;
  // Events (shot_count × event_capacity).
  ev_type: Int32Array;
  ev_time: FloatArray;
  ev_a: Int32Array;
  ev_b: Int32Array;
  // Keyframes (shot_count × keyframe_capacity).
  kf_time: FloatArray;
  kf_ball: Int32Array;
  kf_state: Int32Array;
  kf_data: FloatArray; // × KEYFRAME_STRIDE
  /** Kinetic energy per unit mass (J/kg) of the whole table after each step's evolve and after its resolve. */
  energy_trace: Float64Array | null;
}

export function allocShotBatch(
  precision: Precision,
  shotCount: number,
  limits: BatchLimits,
  traceEnergy: boolean,
): ShotBatch {
  const balls = shotCount * BALLS_PER_TABLE;
  const events = shotCount * limits.event_capacity;
  const keyframes = shotCount * limits.keyframe_capacity;
  return {
    precision,
    shot_count: shotCount,
    limits,
    px: allocFloats(precision, balls),
    py: allocFloats(precision, balls),
    vx: allocFloats(precision, balls),
    vy: allocFloats(precision, balls),
    wx: allocFloats(precision, balls),
    wy: allocFloats(precision, balls),
    wz: allocFloats(precision, balls),
    state: new Int32Array(balls),
    pocket: new Int32Array(balls),
    table: new Int32Array(shotCount),
    time_s: allocFloats(precision, shotCount),
    steps: new Int32Array(shotCount),
    event_count: new Int32Array(shotCount),
    keyframe_count: new Int32Array(shotCount),
    flags: new Int32Array(shotCount),
    ev_type: new Int32Array(events),
    ev_time: allocFloats(precision, events),
    ev_a: new Int32Array(events),
    ev_b: new Int32Array(events),
    kf_time: allocFloats(precision, keyframes),
    kf_ball: new Int32Array(keyframes),
    kf_state: new Int32Array(keyframes),
    kf_data: allocFloats(precision, keyframes * KEYFRAME_STRIDE),
    energy_trace: traceEnergy ? new Float64Array(shotCount * limits.max_steps * 2) : null,
  };
}
