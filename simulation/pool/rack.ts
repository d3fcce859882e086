// Racking for 8-ball: the standard triangle with its apex on the foot spot, the 8 in the middle of the third row,
// and the cue ball placed behind the head string; plus a typical break shot.

import type { CueStrike } from "./cue-strike.ts";
import { CUE_BALL_ID, EIGHT_BALL_ID, type TableSize, tableGeometry } from "./equipment.ts";
import { DEFAULT_PHYSICS_PARAMS } from "./params.ts";
import type { BallPlacement, ShotInput } from "./simulate-shots.ts";

/**
 * Default order of the 14 balls other than the 8, by rack slot: apex, then each row from −y to +y. The back row
 * gets 13, 6, 14, 15, 7: a stripe and a solid in its corners, as the WPA 8-ball rules ask.
 */
export const DEFAULT_RACK_ORDER: readonly number[] = Object.freeze([1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 15, 7]);

/** Gap between neighbouring racked balls (m): a real rack is never perfectly tight, and a small gap keeps the
 *  break's sequence of contacts well defined. */
export const DEFAULT_RACK_GAP_M = 0.0001;

/**
 * Positions of the racked balls. `order` lists the 14 balls other than the 8 in slot order (apex first, then row
 * by row from −y to +y, skipping the 8's slot in the middle of the third row).
 */
export function rackEightBall(
  table: TableSize,
  order: readonly number[] = DEFAULT_RACK_ORDER,
  gap_m = DEFAULT_RACK_GAP_M,
): BallPlacement[] {
  const expected = [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15];
  const sorted = [...order].sort((a, b) => a - b);
  if (sorted.length !== expected.length || sorted.some((id, i) => id !== expected[i])) {
    throw new RangeError("rack order must list balls 1–7 and 9–15 once each");
  }
  if (!(gap_m >= 0 && gap_m <= 0.005)) throw new RangeError("rack gap must be in [0, 5 mm]");
  const geometry = tableGeometry(table);
  const spacing = 2 * DEFAULT_PHYSICS_PARAMS.ball_radius_m + gap_m;
  const rowStep = (spacing * Math.sqrt(3)) / 2;
  const balls: BallPlacement[] = [];
  let next = 0;
  for (let row = 0; row < 5; row++) {
    for (let j = 0; j <= row; j++) {
      const x = geometry.foot_spot_x_m + row * rowStep;
      const y = (j - row / 2) * spacing;
      const id = row === 2 && j === 1 ? EIGHT_BALL_ID : order[next++];
      balls.push({ id, x, y });
    }
  }
  return balls;
}

/** The cue ball behind the head string (x below it by `behind_m`), at lateral position y. */
export function cueBallInKitchen(table: TableSize, y_m = 0, behind_m = 0.1): BallPlacement {
  const geometry = tableGeometry(table);
  const R = DEFAULT_PHYSICS_PARAMS.ball_radius_m;
  const x = geometry.head_string_x_m - behind_m;
  if (!(behind_m >= 0) || x < -geometry.half_length_m + R || Math.abs(y_m) > geometry.half_width_m - R) {
    throw new RangeError("cue ball position is not in the kitchen");
  }
  return { id: CUE_BALL_ID, x, y: y_m };
}

/**
 * A typical break: the cue ball a little off-centre in the kitchen, struck at 10 m/s slightly below centre,
 * aimed at the centre of the head (apex) ball.
 */
export function breakShot(table: TableSize, order: readonly number[] = DEFAULT_RACK_ORDER, speed_m_s = 10): ShotInput {
  const rack = rackEightBall(table, order);
  const cue = cueBallInKitchen(table, 0.12);
  const apex = rack[0];
  const strike: CueStrike = {
    direction: { x: apex.x - cue.x, y: apex.y - cue.y },
    speed_m_s,
    side: 0,
    vertical: -0.1,
  };
  return { table, balls: [cue, ...rack], strike };
}

/**
 * A typical mid-game shot: the cue ball and seven object balls, a 4 m/s cut into a two-ball cluster with right
 * english and a little follow (the benchmark's and the tests' busy-but-ordinary shot).
 */
export function midGameShot(): ShotInput {
  return {
    table: "9ft",
    balls: [
      { id: 0, x: -0.55, y: -0.2 },
      { id: 3, x: 0.3, y: 0.12 },
      { id: 11, x: 0.36, y: 0.18 },
      { id: 8, x: 0.8, y: -0.35 },
      { id: 5, x: -0.2, y: 0.5 },
      { id: 14, x: 1.0, y: 0.4 },
      { id: 6, x: 0.5, y: -0.55 },
      { id: 2, x: -0.9, y: 0.3 },
    ],
    strike: { direction: { x: 0.85, y: 0.3 }, speed_m_s: 4, side: 0.3, vertical: 0.2 },
  };
}
