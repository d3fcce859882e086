// The engine's public API: shots in, settled tables, events and keyframes out. simulateShots packs a batch of
// shots into the structure-of-arrays buffers, runs the kernel on each shot, and unpacks the results.

import {
  allocShotBatch,
  BALL_POCKETED,
  BALL_STATE_NAMES,
  type BallStateName,
  type BatchLimits,
  DEFAULT_BATCH_LIMITS,
  EVENT_BALL_BALL,
  EVENT_BALL_CUSHION,
  EVENT_BALL_POCKET,
  FLAG_EVENT_BUFFER_OVERFLOW,
  FLAG_KEYFRAME_BUFFER_OVERFLOW,
  FLAG_STEP_CAP_REACHED,
  FLAG_TIME_CAP_REACHED,
  KEYFRAME_STRIDE,
  NO_POCKET,
  NOT_ON_TABLE,
  type ShotBatch,
} from "./ball-state.ts";
import { type CueStrike, cueStrikeVelocity } from "./cue-strike.ts";
import {
  BALLS_PER_TABLE,
  ballOnPlayingSurface,
  CUE_BALL_ID,
  TABLE_SIZES,
  type TableSize,
  tableGeometry,
} from "./equipment.ts";
import { simulateShotKernel } from "./kernel.ts";
import { buildKernelParams, buildKernelTable, type KernelParams, type KernelTable } from "./kernel-params.ts";
import { type PhysicsParams, resolvePhysicsParams } from "./params.ts";
import { type Precision, setPrecision } from "./precision.ts";
import { settleState } from "./resolve.ts";

/** Largest speed (m/s) and spin (rad/s) a ball may be given directly; a cue strike is bounded on its own. */
export const MAX_BALL_SPEED_M_S = 14;
export const MAX_BALL_SPIN_RAD_S = 1500;
/** Largest batch one call accepts (keeps one call's memory bounded). */
export const MAX_BATCH_SHOTS = 4096;
/** Balls closer than 2R minus this overlap (m), or further than this past a cushion's nose, are refused; a frozen
 *  rack's rounding and float32 positions stay inside it. */
export const OVERLAP_TOLERANCE_M = 1e-6;

export interface BallPlacement {
  /** 0 is the cue ball, 1–15 the object balls. */
  id: number;
  x: number;
  y: number;
  /** Optional starting motion (default at rest); a strike replaces the cue ball's. */
  vx?: number;
  vy?: number;
  wx?: number;
  wy?: number;
  wz?: number;
}

export interface ShotInput {
  table: TableSize;
  /** The balls on the table (pocketed ones left out). */
  balls: BallPlacement[];
  /** The cue's strike on ball 0; without it, balls start with the motion given in `balls`. */
  strike?: CueStrike;
}

export interface SimulateOptions {
  /** "f32" (default, what the GPU computes) or "f64", for the same code in double precision. */
  precision?: Precision;
  params?: Partial<PhysicsParams>;
  limits?: Partial<BatchLimits>;
  /** Also list every state transition (sliding → rolling, ...) among the events. */
  record_transitions?: boolean;
  /** Record the table's kinetic energy around every step (ShotResult.energy_trace). */
  trace_energy?: boolean;
}

export type ShotEvent =
  | { kind: "ball-ball"; time_s: number; ball: number; other_ball: number }
  | { kind: "ball-cushion"; time_s: number; ball: number; cushion: number }
  | { kind: "pocket"; time_s: number; ball: number; pocket: number }
  | { kind: "transition"; time_s: number; ball: number; state: BallStateName };

export interface FinalBall {
  id: number;
  x: number;
  y: number;
  state: BallStateName;
  /** Pocket id (0–5) the ball dropped into during this shot, or null. */
  pocket: number | null;
}

/**
 * Per-ball samples at the start, after every event or state change that involves the ball, and at the end.
 * Between two consecutive keyframes of one ball its acceleration is constant, so with Δ = t₁ − t₀ the exact
 * path is p(t) = p₀ + v₀·τ + ½·a·τ², a = 2·(p₁ − p₀ − v₀·Δ)/Δ² (see interpolateBall).
 */
export interface Keyframes {
  count: number;
  time_s: Float32Array;
  ball: Uint8Array;
  state: Uint8Array;
  /** KEYFRAME_STRIDE per keyframe: x, y, vx, vy, wx, wy, wz (after the event). */
  data: Float32Array;
}

export interface ShotResult {
  table: TableSize;
  balls: FinalBall[];
  events: ShotEvent[];
  keyframes: Keyframes;
  total_time_s: number;
  /** Kernel steps taken (events plus transitions). */
  steps: number;
  /** True when every ball came to rest within the limits (no cap was reached, no buffer overflowed). */
  complete: boolean;
  caps: { event_overflow: boolean; keyframe_overflow: boolean; step_cap: boolean; time_cap: boolean };
  /** With trace_energy: kinetic energy per unit mass (J/kg) after each step's evolve and after its resolve. */
  energy_trace?: Float64Array;
}

function finite(name: string, value: number | undefined, bound: number): number {
  const v = value ?? 0;
  if (!Number.isFinite(v) || Math.abs(v) > bound)
    throw new RangeError(`${name}=${value} must be finite and within ±${bound}`);
  return v;
}

/** Throws a RangeError naming the first thing wrong with the shot. */
export function validateShotInput(shot: ShotInput, params: PhysicsParams): void {
  if (!TABLE_SIZES.includes(shot.table)) throw new RangeError(`unknown table ${String(shot.table)}`);
  const geometry = tableGeometry(shot.table);
  const R = params.ball_radius_m;
  if (!Array.isArray(shot.balls) || shot.balls.length === 0 || shot.balls.length > BALLS_PER_TABLE) {
    throw new RangeError(`a shot needs 1 to ${BALLS_PER_TABLE} balls`);
  }
  const seen = new Set<number>();
  for (const ball of shot.balls) {
    if (!Number.isInteger(ball.id) || ball.id < 0 || ball.id >= BALLS_PER_TABLE || seen.has(ball.id)) {
      throw new RangeError(`ball id ${ball.id} must be a unique integer in 0–${BALLS_PER_TABLE - 1}`);
    }
    seen.add(ball.id);
    if (!ballOnPlayingSurface(geometry, R, ball.x, ball.y, OVERLAP_TOLERANCE_M)) {
      throw new RangeError(`ball ${ball.id} at (${ball.x}, ${ball.y}) is not on the playing surface`);
    }
    const v = Math.hypot(finite("vx", ball.vx, MAX_BALL_SPEED_M_S), finite("vy", ball.vy, MAX_BALL_SPEED_M_S));
    if (v > MAX_BALL_SPEED_M_S) throw new RangeError(`ball ${ball.id} speed ${v} m/s exceeds ${MAX_BALL_SPEED_M_S}`);
    finite("wx", ball.wx, MAX_BALL_SPIN_RAD_S);
    finite("wy", ball.wy, MAX_BALL_SPIN_RAD_S);
    finite("wz", ball.wz, MAX_BALL_SPIN_RAD_S);
  }
  for (let i = 0; i < shot.balls.length; i++) {
    for (let j = i + 1; j < shot.balls.length; j++) {
      const a = shot.balls[i];
      const b = shot.balls[j];
      if (Math.hypot(a.x - b.x, a.y - b.y) < 2 * R - OVERLAP_TOLERANCE_M) {
        throw new RangeError(`balls ${a.id} and ${b.id} overlap`);
      }
    }
  }
  if (shot.strike !== undefined && !seen.has(CUE_BALL_ID))
    throw new RangeError("a strike needs the cue ball (id 0) on the table");
}

function resolveLimits(overrides: Partial<BatchLimits> | undefined): BatchLimits {
  const limits = { ...DEFAULT_BATCH_LIMITS, ...overrides };
  const ok =
    Number.isInteger(limits.event_capacity) &&
    limits.event_capacity >= 0 &&
    limits.event_capacity <= 65536 &&
    Number.isInteger(limits.keyframe_capacity) &&
    limits.keyframe_capacity >= BALLS_PER_TABLE &&
    limits.keyframe_capacity <= 65536 &&
    Number.isInteger(limits.max_steps) &&
    limits.max_steps >= 1 &&
    limits.max_steps <= 65536 &&
    limits.max_time_s > 0 &&
    limits.max_time_s <= 600;
  if (!ok) throw new RangeError(`batch limits out of range: ${JSON.stringify(limits)}`);
  return limits;
}

function packShot(b: ShotBatch, s: number, shot: ShotInput, params: PhysicsParams): void {
  const base = s * BALLS_PER_TABLE;
  for (let i = 0; i < BALLS_PER_TABLE; i++) {
    const k = base + i;
    b.px[k] = 0;
    b.py[k] = 0;
    b.vx[k] = 0;
    b.vy[k] = 0;
    b.wx[k] = 0;
    b.wy[k] = 0;
    b.wz[k] = 0;
    b.state[k] = BALL_POCKETED;
    b.pocket[k] = NOT_ON_TABLE;
  }
  for (const ball of shot.balls) {
    const k = base + ball.id;
    b.px[k] = ball.x;
    b.py[k] = ball.y;
    b.vx[k] = ball.vx ?? 0;
    b.vy[k] = ball.vy ?? 0;
    b.wx[k] = ball.wx ?? 0;
    b.wy[k] = ball.wy ?? 0;
    b.wz[k] = ball.wz ?? 0;
    b.pocket[k] = NO_POCKET;
    b.state[k] = 0;
  }
  if (shot.strike !== undefined) {
    const cue = cueStrikeVelocity(shot.strike, params.ball_radius_m);
    const k = base + CUE_BALL_ID;
    b.vx[k] = cue.vx;
    b.vy[k] = cue.vy;
    b.wx[k] = cue.wx;
    b.wy[k] = cue.wy;
    b.wz[k] = cue.wz;
  }
  b.table[s] = TABLE_SIZES.indexOf(shot.table);
}

function unpackShot(b: ShotBatch, s: number, shot: ShotInput, traceEnergy: boolean): ShotResult {
  const base = s * BALLS_PER_TABLE;
  const balls: FinalBall[] = [];
  for (let i = 0; i < BALLS_PER_TABLE; i++) {
    const k = base + i;
    if (b.pocket[k] === NOT_ON_TABLE) continue;
    balls.push({
      id: i,
      x: b.px[k],
      y: b.py[k],
      state: BALL_STATE_NAMES[b.state[k]],
      pocket: b.pocket[k] >= 0 ? b.pocket[k] : null,
    });
  }
  const events: ShotEvent[] = [];
  const e0 = s * b.limits.event_capacity;
  for (let n = 0; n < b.event_count[s]; n++) {
    const i = e0 + n;
    const time_s = b.ev_time[i];
    const ball = b.ev_a[i];
    const other = b.ev_b[i];
    const type = b.ev_type[i];
    if (type === EVENT_BALL_BALL) events.push({ kind: "ball-ball", time_s, ball, other_ball: other });
    else if (type === EVENT_BALL_CUSHION) events.push({ kind: "ball-cushion", time_s, ball, cushion: other });
    else if (type === EVENT_BALL_POCKET) events.push({ kind: "pocket", time_s, ball, pocket: other });
    else events.push({ kind: "transition", time_s, ball, state: BALL_STATE_NAMES[other] });
  }
  const count = b.keyframe_count[s];
  const k0 = s * b.limits.keyframe_capacity;
  const keyframes: Keyframes = {
    count,
    time_s: Float32Array.from(b.kf_time.subarray(k0, k0 + count)),
    ball: Uint8Array.from(b.kf_ball.subarray(k0, k0 + count)),
    state: Uint8Array.from(b.kf_state.subarray(k0, k0 + count)),
    data: Float32Array.from(b.kf_data.subarray(k0 * KEYFRAME_STRIDE, (k0 + count) * KEYFRAME_STRIDE)),
  };
  const flags = b.flags[s];
  const caps = {
    event_overflow: (flags & FLAG_EVENT_BUFFER_OVERFLOW) !== 0,
    keyframe_overflow: (flags & FLAG_KEYFRAME_BUFFER_OVERFLOW) !== 0,
    step_cap: (flags & FLAG_STEP_CAP_REACHED) !== 0,
    time_cap: (flags & FLAG_TIME_CAP_REACHED) !== 0,
  };
  const result: ShotResult = {
    table: shot.table,
    balls,
    events,
    keyframes,
    total_time_s: b.time_s[s],
    steps: b.steps[s],
    complete: flags === 0,
    caps,
  };
  if (traceEnergy && b.energy_trace) {
    const n = b.limits.max_steps * 2;
    result.energy_trace = b.energy_trace.slice(s * n, s * n + b.steps[s] * 2);
  }
  return result;
}

/** A batch packed for a backend: SoA buffers plus the rounded parameters and tables the kernel reads. */
export interface PackedBatch {
  shots: ShotInput[];
  batch: ShotBatch;
  params: KernelParams;
  tables: KernelTable[];
  record_transitions: boolean;
  trace_energy: boolean;
}

/** Validates the shots and packs them into structure-of-arrays buffers; sets the working precision. */
export function packShots(shots: ShotInput[], options: SimulateOptions = {}): PackedBatch {
  if (shots.length > MAX_BATCH_SHOTS) throw new RangeError(`at most ${MAX_BATCH_SHOTS} shots per batch`);
  const precision = options.precision ?? "f32";
  if (precision !== "f32" && precision !== "f64") throw new RangeError(`unknown precision ${String(precision)}`);
  const physics = resolvePhysicsParams(options.params);
  const limits = resolveLimits(options.limits);
  for (const shot of shots) validateShotInput(shot, physics);
  setPrecision(precision);
  const params = buildKernelParams(physics);
  const tables = TABLE_SIZES.map((size) => buildKernelTable(precision, tableGeometry(size), physics));
  const traceEnergy = options.trace_energy === true;
  const batch = allocShotBatch(precision, shots.length, limits, traceEnergy);
  for (let s = 0; s < shots.length; s++) {
    packShot(batch, s, shots[s], physics);
    for (let i = 0; i < BALLS_PER_TABLE; i++) settleState(batch, s * BALLS_PER_TABLE + i, params);
  }
  return {
    shots,
    batch,
    params,
    tables,
    record_transitions: options.record_transitions === true,
    trace_energy: traceEnergy,
  };
}

export function unpackResults(packed: PackedBatch): ShotResult[] {
  return packed.shots.map((shot, s) => unpackShot(packed.batch, s, shot, packed.trace_energy));
}

/** Simulates each shot to rest. Shots are independent: the result of one never depends on the others. */
export function simulateShots(shots: ShotInput[], options: SimulateOptions = {}): ShotResult[] {
  const packed = packShots(shots, options);
  const { batch, tables, params } = packed;
  for (let s = 0; s < shots.length; s++) {
    simulateShotKernel(batch, s, tables[batch.table[s]], params, packed.record_transitions);
  }
  return unpackResults(packed);
}

export function simulateShot(shot: ShotInput, options: SimulateOptions = {}): ShotResult {
  return simulateShots([shot], options)[0];
}

/**
 * Position of `ball` at time t from the keyframes (what a client does to animate): exact between keyframes,
 * since each ball's acceleration is constant between two of its keyframes. Returns null if the ball has none.
 */
export function interpolateBall(keyframes: Keyframes, ball: number, t: number): { x: number; y: number } | null {
  let prev = -1;
  for (let i = 0; i < keyframes.count; i++) {
    if (keyframes.ball[i] !== ball) continue;
    if (keyframes.time_s[i] > t && prev >= 0) {
      const d = keyframes.data;
      const o0 = prev * KEYFRAME_STRIDE;
      const o1 = i * KEYFRAME_STRIDE;
      const dt = keyframes.time_s[i] - keyframes.time_s[prev];
      const tau = t - keyframes.time_s[prev];
      const ax = (2 * (d[o1] - d[o0] - d[o0 + 2] * dt)) / (dt * dt);
      const ay = (2 * (d[o1 + 1] - d[o0 + 1] - d[o0 + 3] * dt)) / (dt * dt);
      return {
        x: d[o0] + d[o0 + 2] * tau + 0.5 * ax * tau * tau,
        y: d[o0 + 1] + d[o0 + 3] * tau + 0.5 * ay * tau * tau,
      };
    }
    prev = i;
  }
  if (prev < 0) return null;
  return { x: keyframes.data[prev * KEYFRAME_STRIDE], y: keyframes.data[prev * KEYFRAME_STRIDE + 1] };
}
