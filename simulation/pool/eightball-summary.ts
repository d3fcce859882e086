// The bridge from physics to rules: a simulated shot (ShotInput + ShotResult) becomes the ShotSummary the 8-ball
// rules engine rules on. Pure: the same shot always gives the same summary.

import type { BallInHandArea, ObjectBall, PocketId, ShotIntent, ShotSummary } from "./eightball/index.ts";
import { CUE_BALL_ID, KEYFRAME_STRIDE, POCKET_COUNT, type ShotInput, type ShotResult, tableGeometry } from "./index.ts";

/**
 * The physics numbers pockets from the head-right corner round by the foot (docs/physics.md); the rules number them
 * from the head-left corner down the left rail (docs/eightball.md). Both stand at the head looking to the foot, so
 * pocket p of the physics is pocket 5 − p of the rules, and the map is its own inverse.
 */
export function rulesPocketOf(physicsPocket: number): PocketId {
  if (!Number.isInteger(physicsPocket) || physicsPocket < 0 || physicsPocket >= POCKET_COUNT) {
    throw new RangeError(`physics pocket ${physicsPocket} is not 0..5`);
  }
  return (POCKET_COUNT - 1 - physicsPocket) as PocketId;
}

export function physicsPocketOf(rulesPocket: PocketId): number {
  return POCKET_COUNT - 1 - rulesPocket;
}

export interface SummaryOptions {
  /** Where the shooter had the cue ball in hand for this shot (null: played where it lay). */
  ballInHand?: BallInHandArea | null;
}

/**
 * Reads the rules' view of one shot from the physics' event list:
 * - `firstContact`: the other ball of the first ball–ball event that involves the cue ball;
 * - `pocketed`: object balls whose final state is in a pocket, in the order of their pocket events;
 * - `cueBallPocketed`: the cue ball's final state is in a pocket;
 * - `cushionAfterFirstContact`: a ball–cushion event (any ball) after the first contact's event;
 * - `objectBallsToCushion`: each object ball with a ball–cushion event, in order of its first one;
 * - `offTable`: always empty, the physics keeps every ball on the bed or in a pocket (no jumps);
 * - `firstContactBehindHeadString` (only with the cue ball in hand behind the head string): the first ball hit
 *   started the shot behind the head string and every cue-ball keyframe up to the contact lies behind it too.
 */
export function summarizeShot(
  input: ShotInput,
  result: ShotResult,
  intent: ShotIntent,
  options: SummaryOptions = {},
): ShotSummary {
  const finalPocket = new Map<number, number | null>();
  for (const ball of result.balls) finalPocket.set(ball.id, ball.pocket);

  let firstContact: ObjectBall | null = null;
  let firstContactIndex = -1;
  let firstContactTime = Number.POSITIVE_INFINITY;
  for (const [index, event] of result.events.entries()) {
    if (event.kind !== "ball-ball") continue;
    if (event.ball !== CUE_BALL_ID && event.other_ball !== CUE_BALL_ID) continue;
    firstContact = event.ball === CUE_BALL_ID ? event.other_ball : event.ball;
    firstContactIndex = index;
    firstContactTime = event.time_s;
    break;
  }

  const pocketed: { ball: ObjectBall; pocket: PocketId }[] = [];
  const railed: ObjectBall[] = [];
  let cushionAfterFirstContact = false;
  for (const [index, event] of result.events.entries()) {
    if (event.kind === "pocket" && event.ball !== CUE_BALL_ID) {
      const rested = finalPocket.get(event.ball);
      if (rested !== null && rested !== undefined && !pocketed.some((p) => p.ball === event.ball)) {
        pocketed.push({ ball: event.ball, pocket: rulesPocketOf(rested) });
      }
    } else if (event.kind === "ball-cushion") {
      if (firstContactIndex >= 0 && index > firstContactIndex) cushionAfterFirstContact = true;
      if (event.ball !== CUE_BALL_ID && !railed.includes(event.ball)) railed.push(event.ball);
    }
  }
  const cuePocket = finalPocket.get(CUE_BALL_ID);
  const summary: ShotSummary = {
    intent: { calledPocket: intent.calledPocket },
    firstContact,
    pocketed,
    cueBallPocketed: cuePocket !== null && cuePocket !== undefined,
    cushionAfterFirstContact,
    objectBallsToCushion: railed,
    offTable: [],
  };
  if (options.ballInHand !== "behindHeadString") return summary;
  return {
    ...summary,
    firstContactBehindHeadString:
      firstContact !== null && firstContactBehindString(input, result, firstContact, firstContactTime),
  };
}

function firstContactBehindString(input: ShotInput, result: ShotResult, ball: number, contactTime: number): boolean {
  const headString = tableGeometry(input.table).head_string_x_m;
  const start = input.balls.find((b) => b.id === ball);
  if (!start || !(start.x < headString)) return false;
  const k = result.keyframes;
  for (let i = 0; i < k.count; i++) {
    if (k.ball[i] !== CUE_BALL_ID || k.time_s[i]! > contactTime) continue;
    if (!(k.data[i * KEYFRAME_STRIDE]! < headString)) return false;
  }
  return true;
}
