// Reading results the way the physics tests need: a ball's velocity just after an event, from the keyframes.

import { BALL_STATE_NAMES, KEYFRAME_STRIDE } from "../../../simulation/pool/ball-state.ts";
import { midGameShot } from "../../../simulation/pool/rack.ts";
import type { ShotInput, ShotResult } from "../../../simulation/pool/simulate-shots.ts";

export interface BallSample {
  time_s: number;
  state: string;
  x: number;
  y: number;
  vx: number;
  vy: number;
  wx: number;
  wy: number;
  wz: number;
}

export function samplesOf(result: ShotResult, ball: number): BallSample[] {
  const k = result.keyframes;
  const out: BallSample[] = [];
  for (let i = 0; i < k.count; i++) {
    if (k.ball[i] !== ball) continue;
    const o = i * KEYFRAME_STRIDE;
    out.push({
      time_s: k.time_s[i],
      state: BALL_STATE_NAMES[k.state[i]],
      x: k.data[o],
      y: k.data[o + 1],
      vx: k.data[o + 2],
      vy: k.data[o + 3],
      wx: k.data[o + 4],
      wy: k.data[o + 5],
      wz: k.data[o + 6],
    });
  }
  return out;
}

/** The ball's sample recorded at the n-th event of the shot (after resolving it). */
export function sampleAtEvent(result: ShotResult, ball: number, eventIndex: number): BallSample {
  const t = result.events[eventIndex].time_s;
  const sample = samplesOf(result, ball).find((s) => s.time_s === t);
  if (!sample) throw new Error(`ball ${ball} has no keyframe at event ${eventIndex}`);
  return sample;
}

export function angleBetweenDeg(ax: number, ay: number, bx: number, by: number): number {
  const c = (ax * bx + ay * by) / (Math.hypot(ax, ay) * Math.hypot(bx, by));
  return (Math.acos(Math.max(-1, Math.min(1, c))) * 180) / Math.PI;
}

export const DEG = Math.PI / 180;

/** A busy mid-game shot: cut into a cluster off a rail, with side spin and follow. */
export const MIDGAME_SHOT: ShotInput = midGameShot();
