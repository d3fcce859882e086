// The WGSL kernel's layout, as data: the order of its source files (bindings, evolve, detect, resolve, kernel: the
// same split as the TypeScript), the prelude of constants taken from the TypeScript definitions, the order of
// KernelParams and the KernelTables in the flat array the shader reads, and the size of every buffer. Pure: the
// process (src/physics/webgpu-shader.ts) reads the files and drives the device.

import {
  BALL_POCKETED,
  BALL_ROLLING,
  BALL_SLIDING,
  BALL_SPINNING,
  BALL_STATIONARY,
  EVENT_BALL_BALL,
  EVENT_BALL_CUSHION,
  EVENT_BALL_POCKET,
  EVENT_TRANSITION,
  FLAG_EVENT_BUFFER_OVERFLOW,
  FLAG_KEYFRAME_BUFFER_OVERFLOW,
  FLAG_STEP_CAP_REACHED,
  FLAG_TIME_CAP_REACHED,
  KEYFRAME_STRIDE,
} from "../ball-state.ts";
import { EPS_APPROACH_M_S } from "../detect.ts";
import {
  BALLS_PER_TABLE,
  CIRCLE_CUSHION_COUNT,
  CIRCLE_STRIDE,
  LINE_CUSHION_COUNT,
  LINE_STRIDE,
  POCKET_COUNT,
} from "../equipment.ts";
import type { KernelParams, KernelTable } from "../kernel-params.ts";
import { NO_EVENT_S } from "../precision.ts";

/** The WGSL sources in this folder, in the order the program is assembled. */
export const SHADER_PARTS = ["bindings.wgsl", "evolve.wgsl", "detect.wgsl", "resolve.wgsl", "kernel.wgsl"] as const;

/** KernelParams in the order of the WGSL struct (bindings.wgsl, load_params). */
export const PARAM_ORDER = [
  "R",
  "two_R",
  "five_over_two_R",
  "slide_decel",
  "slide_spin_accel",
  "slip_decel",
  "roll_decel",
  "spin_decel",
  "e_ball",
  "mu_ball",
  "e_cushion",
  "mu_cushion",
  "cushion_knee_m_s",
  "cushion_slope_s_m",
  "cushion_e_min",
] as const satisfies readonly (keyof KernelParams)[];

// Layout of one KernelTable in the params array.
const TABLE_BASE = 16;
const TABLE_LINES = 0;
const TABLE_CIRCLES = TABLE_LINES + LINE_CUSHION_COUNT * LINE_STRIDE;
const TABLE_POCKETS = TABLE_CIRCLES + CIRCLE_CUSHION_COUNT * CIRCLE_STRIDE;
const TABLE_CUSHION_SIN = TABLE_POCKETS + POCKET_COUNT * CIRCLE_STRIDE;
const TABLE_CUSHION_COS = TABLE_CUSHION_SIN + 1;
const TABLE_STRIDE = TABLE_CUSHION_COS + 1;

/** Invocations per workgroup (one shot each). */
export const DEFAULT_WORKGROUP_SIZE = 64;

/** Constants the WGSL shares with the TypeScript, declared from the TypeScript values. */
export function shaderPrelude(workgroupSize: number): string {
  if (!Number.isInteger(workgroupSize) || workgroupSize < 1 || workgroupSize > 256) {
    throw new RangeError(`workgroup size ${workgroupSize} must be an integer in 1..256`);
  }
  const u = (name: string, v: number) => `const ${name}: u32 = ${v}u;`;
  const i = (name: string, v: number) => `const ${name}: i32 = ${v};`;
  return [
    "// Generated from the TypeScript constants (simulation/pool/webgpu/layout.ts).",
    u("WORKGROUP_SIZE", workgroupSize),
    u("BALLS_PER_TABLE", BALLS_PER_TABLE),
    u("POCKET_COUNT", POCKET_COUNT),
    u("LINE_CUSHION_COUNT", LINE_CUSHION_COUNT),
    u("CIRCLE_CUSHION_COUNT", CIRCLE_CUSHION_COUNT),
    u("LINE_STRIDE", LINE_STRIDE),
    u("CIRCLE_STRIDE", CIRCLE_STRIDE),
    u("KEYFRAME_STRIDE", KEYFRAME_STRIDE),
    u("TABLE_BASE", TABLE_BASE),
    u("TABLE_STRIDE", TABLE_STRIDE),
    u("TABLE_LINES", TABLE_LINES),
    u("TABLE_CIRCLES", TABLE_CIRCLES),
    u("TABLE_POCKETS", TABLE_POCKETS),
    u("TABLE_CUSHION_SIN", TABLE_CUSHION_SIN),
    u("TABLE_CUSHION_COS", TABLE_CUSHION_COS),
    i("BALL_STATIONARY", BALL_STATIONARY),
    i("BALL_SPINNING", BALL_SPINNING),
    i("BALL_SLIDING", BALL_SLIDING),
    i("BALL_ROLLING", BALL_ROLLING),
    i("BALL_POCKETED", BALL_POCKETED),
    i("EVENT_BALL_BALL", EVENT_BALL_BALL),
    i("EVENT_BALL_CUSHION", EVENT_BALL_CUSHION),
    i("EVENT_BALL_POCKET", EVENT_BALL_POCKET),
    i("EVENT_TRANSITION", EVENT_TRANSITION),
    i("FLAG_EVENT_BUFFER_OVERFLOW", FLAG_EVENT_BUFFER_OVERFLOW),
    i("FLAG_KEYFRAME_BUFFER_OVERFLOW", FLAG_KEYFRAME_BUFFER_OVERFLOW),
    i("FLAG_STEP_CAP_REACHED", FLAG_STEP_CAP_REACHED),
    i("FLAG_TIME_CAP_REACHED", FLAG_TIME_CAP_REACHED),
    `const NO_EVENT_S: f32 = ${NO_EVENT_S.toExponential()};`,
    `const EPS_APPROACH_M_S: f32 = ${EPS_APPROACH_M_S.toExponential()};`,
  ].join("\n");
}

/** KernelParams then one KernelTable per table size, as the shader's params buffer holds them. */
export function packKernelParams(params: KernelParams, tables: readonly KernelTable[]): Float32Array {
  const out = new Float32Array(TABLE_BASE + tables.length * TABLE_STRIDE);
  PARAM_ORDER.forEach((name, i) => {
    out[i] = params[name];
  });
  tables.forEach((table, t) => {
    const o = TABLE_BASE + t * TABLE_STRIDE;
    out.set(table.lines, o + TABLE_LINES);
    out.set(table.circles, o + TABLE_CIRCLES);
    out.set(table.pockets, o + TABLE_POCKETS);
    out[o + TABLE_CUSHION_SIN] = table.cushion_sin;
    out[o + TABLE_CUSHION_COS] = table.cushion_cos;
  });
  return out;
}

// Buffers (bindings.wgsl): ball_f holds px, py, vx, vy, wx, wy, wz in segments of shot_count·16, then time_s;
// shot_i holds table, steps, event_count, keyframe_count, flags in segments of shot_count.
export const BALL_FLOAT_FIELDS = 7;
export const SHOT_INT_FIELDS = 5;
/** Bytes of the Config uniform. */
export const CONFIG_BYTES = 32;

/** Bytes of every buffer for a capacity; the staging buffer must hold the largest read-back. */
export function bufferSizes(capacity: number, eventCap: number, keyframeCap: number) {
  const nb = capacity * BALLS_PER_TABLE;
  const E = capacity * eventCap;
  const K = capacity * keyframeCap;
  const sizes = {
    ball_f: 4 * (BALL_FLOAT_FIELDS * nb + capacity),
    ball_i: 4 * 2 * nb,
    shot_i: 4 * SHOT_INT_FIELDS * capacity,
    ev_i: 4 * 3 * Math.max(E, 1),
    ev_f: 4 * Math.max(E, 1),
    kf_i: 4 * 2 * K,
    kf_f: 4 * (1 + 7) * K,
  };
  const first = sizes.ball_f + sizes.ball_i + sizes.shot_i;
  const second = sizes.ev_i + sizes.ev_f + sizes.kf_i + sizes.kf_f;
  return { ...sizes, staging: first + second };
}

/** Bytes a batch of this capacity holds on the device (what the cap on batch size bounds). */
export function deviceBytesFor(capacity: number, eventCap: number, keyframeCap: number): number {
  const s = bufferSizes(capacity, eventCap, keyframeCap);
  return s.ball_f + s.ball_i + s.shot_i + s.ev_i + s.ev_f + s.kf_i + s.kf_f + s.staging;
}
