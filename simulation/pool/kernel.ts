// The per-shot event loop: what one GPU invocation will run. Detect the earliest event, evolve every ball to it,
// resolve it, record it; repeat until every ball is at rest or a cap is reached. Loops are bounded by the batch
// limits, buffers are fixed-size with overflow flags, and nothing is allocated after module load.

import {
  BALL_POCKETED,
  BALL_ROLLING,
  BALL_SLIDING,
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
  type ShotBatch,
} from "./ball-state.ts";
import { firstApproachTime, lineContactTime, pointSegmentDistance } from "./detect.ts";
import {
  BALLS_PER_TABLE,
  CIRCLE_CUSHION_COUNT,
  CIRCLE_STRIDE,
  LINE_CUSHION_COUNT,
  LINE_STRIDE,
  POCKET_COUNT,
} from "./equipment.ts";
import { ballAcceleration, evolveBall, specificEnergy, transitionTime } from "./evolve.ts";
import type { KernelParams, KernelTable } from "./kernel-params.ts";
import { f, NO_EVENT_S } from "./precision.ts";
import {
  resolveBallBall,
  resolveBallCushion,
  resolvePocket,
  resolveTransition,
  restTable,
  stopAll,
} from "./resolve.ts";

const EVENT_TIME_CAP = 100; // internal: the next "event" is the end of the allowed time

// Per-ball scratch for one shot: acceleration and speed bounds used by detection.
const ax = new Float64Array(BALLS_PER_TABLE);
const ay = new Float64Array(BALLS_PER_TABLE);
const speed = new Float64Array(BALLS_PER_TABLE);
const accel = new Float64Array(2);
const normal = new Float64Array(2);

function isMoving(state: number): boolean {
  return state === BALL_SLIDING || state === BALL_ROLLING;
}

// Margin on the skip test so rounding in it can never skip a contact that detection would find.
const REACH_SLACK_M = 1e-4;

/** Upper bound on how far a ball with this speed and acceleration travels in time T. */
function reach(v: number, a: number, T: number): number {
  return v * T + 0.5 * a * T * T + REACH_SLACK_M;
}

function recordKeyframe(b: ShotBatch, s: number, k: number, ball: number, t: number): void {
  const n = b.keyframe_count[s];
  if (n >= b.limits.keyframe_capacity) {
    b.flags[s] |= FLAG_KEYFRAME_BUFFER_OVERFLOW;
    return;
  }
  const i = s * b.limits.keyframe_capacity + n;
  b.kf_time[i] = t;
  b.kf_ball[i] = ball;
  b.kf_state[i] = b.state[k];
  const o = i * KEYFRAME_STRIDE;
  b.kf_data[o] = b.px[k];
  b.kf_data[o + 1] = b.py[k];
  b.kf_data[o + 2] = b.vx[k];
  b.kf_data[o + 3] = b.vy[k];
  b.kf_data[o + 4] = b.wx[k];
  b.kf_data[o + 5] = b.wy[k];
  b.kf_data[o + 6] = b.wz[k];
  b.keyframe_count[s] = n + 1;
}

function recordEvent(b: ShotBatch, s: number, type: number, t: number, a: number, c: number): void {
  const n = b.event_count[s];
  if (n >= b.limits.event_capacity) {
    b.flags[s] |= FLAG_EVENT_BUFFER_OVERFLOW;
    return;
  }
  const i = s * b.limits.event_capacity + n;
  b.ev_type[i] = type;
  b.ev_time[i] = t;
  b.ev_a[i] = a;
  b.ev_b[i] = c;
  b.event_count[s] = n + 1;
}

function tableEnergy(b: ShotBatch, base: number, R: number): number {
  let e = 0;
  for (let i = 0; i < BALLS_PER_TABLE; i++) e += specificEnergy(b, base + i, R);
  return e;
}

/** Runs shot s of the batch to rest (or to a cap). Ball states must be settled (see settleState) on entry. */
export function simulateShotKernel(
  b: ShotBatch,
  s: number,
  table: KernelTable,
  p: KernelParams,
  recordTransitions: boolean,
): void {
  const base = s * BALLS_PER_TABLE;
  const maxTime = f(b.limits.max_time_s);
  const R = p.R;
  let t = 0;
  b.event_count[s] = 0;
  b.keyframe_count[s] = 0;
  b.flags[s] = 0;
  for (let i = 0; i < BALLS_PER_TABLE; i++) {
    if (b.state[base + i] !== BALL_POCKETED) recordKeyframe(b, s, base + i, i, 0);
  }
  let step = 0;
  for (; step < b.limits.max_steps; step++) {
    // DETECT ------------------------------------------------------------------------------------------------
    let best = NO_EVENT_S;
    let type = 0;
    let ea = -1;
    let eb = -1;
    for (let i = 0; i < BALLS_PER_TABLE; i++) {
      const k = base + i;
      ballAcceleration(b, k, p, accel);
      ax[i] = accel[0];
      ay[i] = accel[1];
      speed[i] = Math.sqrt(b.vx[k] * b.vx[k] + b.vy[k] * b.vy[k]);
      const tt = transitionTime(b, k, p);
      if (tt < best) {
        best = tt;
        type = EVENT_TRANSITION;
        ea = i;
      }
    }
    if (type === 0) {
      // Nothing moves or spins, and nothing will (a ball without friction would have a transition at NO_EVENT_S
      // only if it also has no speed: moving balls are caught below by the time cap).
      let anyMoving = false;
      for (let i = 0; i < BALLS_PER_TABLE && !anyMoving; i++) anyMoving = isMoving(b.state[base + i]);
      if (!anyMoving) break;
    }
    const remaining = f(maxTime - t);
    if (remaining < best) {
      best = remaining;
      type = EVENT_TIME_CAP;
      ea = -1;
    }
    for (let i = 0; i < BALLS_PER_TABLE; i++) {
      const k = base + i;
      if (!isMoving(b.state[k])) continue;
      const px = b.px[k];
      const py = b.py[k];
      const vx = b.vx[k];
      const vy = b.vy[k];
      const accelMag = Math.sqrt(ax[i] * ax[i] + ay[i] * ay[i]);
      const sliding = b.state[k] === BALL_SLIDING;
      for (let q = 0; q < POCKET_COUNT; q++) {
        const o = q * CIRCLE_STRIDE;
        const dx = f(px - table.pockets[o]);
        const dy = f(py - table.pockets[o + 1]);
        const r = table.pockets[o + 2];
        if (Math.sqrt(dx * dx + dy * dy) - r > reach(speed[i], accelMag, best)) continue;
        const tq = firstApproachTime(dx, dy, vx, vy, ax[i], ay[i], r, best, false);
        if (tq < best) {
          best = tq;
          type = EVENT_BALL_POCKET;
          ea = i;
          eb = q;
        }
      }
      for (let c = 0; c < LINE_CUSHION_COUNT; c++) {
        const o = c * LINE_STRIDE;
        const l = table.lines;
        if (pointSegmentDistance(px, py, l[o], l[o + 1], l[o + 2], l[o + 3]) - R > reach(speed[i], accelMag, best))
          continue;
        const tc = lineContactTime(
          px,
          py,
          vx,
          vy,
          ax[i],
          ay[i],
          l[o],
          l[o + 1],
          l[o + 2],
          l[o + 3],
          l[o + 4],
          l[o + 5],
          R,
          best,
          sliding,
        );
        if (tc < best) {
          best = tc;
          type = EVENT_BALL_CUSHION;
          ea = i;
          eb = c;
        }
      }
      for (let c = 0; c < CIRCLE_CUSHION_COUNT; c++) {
        const o = c * CIRCLE_STRIDE;
        const dx = f(px - table.circles[o]);
        const dy = f(py - table.circles[o + 1]);
        const D = f(R + table.circles[o + 2]);
        if (Math.sqrt(dx * dx + dy * dy) - D > reach(speed[i], accelMag, best)) continue;
        const tc = firstApproachTime(dx, dy, vx, vy, ax[i], ay[i], D, best, sliding);
        if (tc < best) {
          best = tc;
          type = EVENT_BALL_CUSHION;
          ea = i;
          eb = LINE_CUSHION_COUNT + c;
        }
      }
    }
    for (let i = 0; i < BALLS_PER_TABLE; i++) {
      const ki = base + i;
      const si = b.state[ki];
      if (si === BALL_POCKETED) continue;
      const reachI = reach(speed[i], Math.sqrt(ax[i] * ax[i] + ay[i] * ay[i]), best);
      for (let j = i + 1; j < BALLS_PER_TABLE; j++) {
        const kj = base + j;
        const sj = b.state[kj];
        if (sj === BALL_POCKETED || !(isMoving(si) || isMoving(sj))) continue;
        const dx = f(b.px[kj] - b.px[ki]);
        const dy = f(b.py[kj] - b.py[ki]);
        const reachJ = reach(speed[j], Math.sqrt(ax[j] * ax[j] + ay[j] * ay[j]), best);
        if (Math.sqrt(dx * dx + dy * dy) - p.two_R > reachI + reachJ) continue;
        const tb = firstApproachTime(
          dx,
          dy,
          f(b.vx[kj] - b.vx[ki]),
          f(b.vy[kj] - b.vy[ki]),
          f(ax[j] - ax[i]),
          f(ay[j] - ay[i]),
          p.two_R,
          best,
          si === BALL_SLIDING || sj === BALL_SLIDING,
        );
        if (tb < best) {
          best = tb;
          type = EVENT_BALL_BALL;
          ea = i;
          eb = j;
        }
      }
    }

    // EVOLVE ------------------------------------------------------------------------------------------------
    for (let i = 0; i < BALLS_PER_TABLE; i++) evolveBall(b, base + i, best, p);
    t = f(t + best);
    if (type === EVENT_TIME_CAP) {
      b.flags[s] |= FLAG_TIME_CAP_REACHED;
      break;
    }
    const trace = b.energy_trace;
    const traceAt = (s * b.limits.max_steps + step) * 2;
    if (trace) trace[traceAt] = tableEnergy(b, base, R);

    // RESOLVE -----------------------------------------------------------------------------------------------
    const ka = base + ea;
    if (type === EVENT_TRANSITION) {
      resolveTransition(b, ka, p);
      if (recordTransitions) recordEvent(b, s, EVENT_TRANSITION, t, ea, b.state[ka]);
      recordKeyframe(b, s, ka, ea, t);
    } else if (type === EVENT_BALL_POCKET) {
      resolvePocket(b, ka, eb);
      recordEvent(b, s, EVENT_BALL_POCKET, t, ea, eb);
      recordKeyframe(b, s, ka, ea, t);
    } else if (type === EVENT_BALL_CUSHION) {
      cushionNormal(b, ka, eb, table);
      resolveBallCushion(b, ka, normal[0], normal[1], p, table);
      recordEvent(b, s, EVENT_BALL_CUSHION, t, ea, eb);
      recordKeyframe(b, s, ka, ea, t);
    } else {
      resolveBallBall(b, ka, base + eb, p);
      recordEvent(b, s, EVENT_BALL_BALL, t, ea, eb);
      recordKeyframe(b, s, ka, ea, t);
      recordKeyframe(b, s, base + eb, eb, t);
    }
    if (trace) trace[traceAt + 1] = tableEnergy(b, base, R);
  }
  if (step === b.limits.max_steps) b.flags[s] |= FLAG_STEP_CAP_REACHED;
  b.steps[s] = step;
  b.time_s[s] = t;
  for (let i = 0; i < BALLS_PER_TABLE; i++) {
    const k = base + i;
    if (b.state[k] !== BALL_POCKETED && b.state[k] !== BALL_STATIONARY) recordKeyframe(b, s, k, i, t);
  }
  // A cap ends the shot all the same: the balls stop where they are, and the table is left valid for the next one.
  if ((b.flags[s] & (FLAG_STEP_CAP_REACHED | FLAG_TIME_CAP_REACHED)) !== 0) stopAll(b, base);
  restTable(b, base, p, table);
}

// Unit normal of cushion c at ball k's contact, pointing from the cushion towards the ball.
function cushionNormal(b: ShotBatch, k: number, c: number, table: KernelTable): void {
  if (c < LINE_CUSHION_COUNT) {
    normal[0] = table.lines[c * LINE_STRIDE + 4];
    normal[1] = table.lines[c * LINE_STRIDE + 5];
    return;
  }
  const o = (c - LINE_CUSHION_COUNT) * CIRCLE_STRIDE;
  const dx = f(b.px[k] - table.circles[o]);
  const dy = f(b.py[k] - table.circles[o + 1]);
  const d = f(Math.sqrt(f(f(dx * dx) + f(dy * dy))));
  normal[0] = f(dx / d);
  normal[1] = f(dy / d);
}
