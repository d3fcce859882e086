// Racking for 8-ball: the standard triangle with its apex on the foot spot, the 8 in the middle of the third row,
// and the cue ball placed behind the head string; plus a typical break shot.

import { type CueStrike, MISCUE_OFFSET_LIMIT } from "./cue-strike.ts";
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

/** Largest gap drawn between neighbouring racked balls in a random rack (m): a racked ball is "a fraction of a
 *  millimetre" from its neighbours or frozen to them. */
export const RANDOM_RACK_MAX_GAP_M = 0.0005;

/**
 * A rack as real racks come: each ball a random fraction of a millimetre off its ideal spot (`random` is a uniform
 * generator in [0, 1), so the rack is reproducible from its seed), and any pair pushed closer than touching by that
 * set frozen, exactly touching. Balls 1–7 and 9–15 in `order`, the 8 in the middle of the third row.
 */
export function randomRack(
  table: TableSize,
  random: () => number,
  order: readonly number[] = DEFAULT_RACK_ORDER,
): BallPlacement[] {
  const R = DEFAULT_PHYSICS_PARAMS.ball_radius_m;
  const gap = random() < 0.25 ? 0 : random() * RANDOM_RACK_MAX_GAP_M;
  const balls = rackEightBall(table, order, gap);
  const jitter = RANDOM_RACK_MAX_GAP_M / 2;
  for (const ball of balls) {
    ball.x += (2 * random() - 1) * jitter;
    ball.y += (2 * random() - 1) * jitter;
  }
  // Relax overlaps to exact contact, in a fixed order so the same draw always gives the same rack.
  for (let pass = 0; pass < 32; pass++) {
    let moved = false;
    for (let i = 0; i < balls.length; i++) {
      for (let j = i + 1; j < balls.length; j++) {
        const a = balls[i];
        const b = balls[j];
        const dx = b.x - a.x;
        const dy = b.y - a.y;
        const d = Math.hypot(dx, dy);
        if (d >= 2 * R) continue;
        const push = (2 * R - d) / 2 + 1e-9;
        a.x -= (dx / d) * push;
        a.y -= (dy / d) * push;
        b.x += (dx / d) * push;
        b.y += (dy / d) * push;
        moved = true;
      }
    }
    if (!moved) break;
  }
  return balls;
}

/**
 * A random break: a random rack, the cue ball anywhere in the kitchen, struck at 8–12 m/s at the apex ball (hit
 * anywhere from full to a quarter off centre), with any tip offset inside the miscue limit.
 */
export function randomBreak(table: TableSize, random: () => number): ShotInput {
  const geometry = tableGeometry(table);
  const R = DEFAULT_PHYSICS_PARAMS.ball_radius_m;
  const rack = randomRack(table, random);
  const behind = random() * (geometry.head_string_x_m + geometry.half_length_m - R);
  const cue = cueBallInKitchen(table, (2 * random() - 1) * (geometry.half_width_m - R), behind);
  const apex = rack[0];
  const offset = (2 * random() - 1) * 0.5 * R;
  const dx = apex.x - cue.x;
  const dy = apex.y - cue.y;
  const len = Math.hypot(dx, dy);
  const aim = { x: apex.x - (dy / len) * offset, y: apex.y + (dx / len) * offset };
  const tip = Math.sqrt(random()) * MISCUE_OFFSET_LIMIT * 0.999;
  const tipAngle = 2 * Math.PI * random();
  const strike: CueStrike = {
    direction: { x: aim.x - cue.x, y: aim.y - cue.y },
    speed_m_s: 8 + 4 * random(),
    side: tip * Math.cos(tipAngle),
    vertical: tip * Math.sin(tipAngle),
  };
  return { table, balls: [cue, ...rack], strike };
}
