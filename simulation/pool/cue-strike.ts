// The cue strike: turns where and how hard the cue tip hits the cue ball into the ball's velocity and spin just
// after the hit. Standard instantaneous-impulse model with a level cue (Marlow, "The Physics of Pocket Billiards",
// 1995; Alciatore, TP A-30; pooltool's stick_ball/instantaneous_point): the impulse J acts along the cue line at
// the tip's contact point, so v = J/m and ω = r × J / I with I = (2/5)·m·R². Given the resulting speed v directly,
// the cue's mass and the tip's efficiency drop out: ω = (5v / 2R)·(a·ẑ + b·left), where a and b are the tip's side
// and vertical offsets from the centre as fractions of R. b = 2/5 gives natural roll (ω = v/R); squirt and cue
// elevation are not modelled.

/** A cue ball speed of 13.5 m/s (≈ 30 mph) is at the top of measured professional break speeds. */
export const MAX_CUE_BALL_SPEED_M_S = 13.5;
/** Tip offsets beyond about half the ball's radius miscue (Alciatore, "miscue limit", TP A-30). */
export const MISCUE_OFFSET_LIMIT = 0.5;

export interface CueStrike {
  /** Direction of the cue in the table plane: an angle from +x (rad), or a vector (normalised here). */
  direction_rad?: number;
  direction?: { x: number; y: number };
  /** Cue ball speed just after the strike (m/s), in (0, MAX_CUE_BALL_SPEED_M_S]. */
  speed_m_s: number;
  /** Side offset of the tip, fraction of R: positive = right of centre as the shooter sees it (right english). */
  side?: number;
  /** Vertical offset of the tip, fraction of R: positive = above centre (follow), negative = below (draw). */
  vertical?: number;
}

export interface BallVelocity {
  vx: number;
  vy: number;
  wx: number;
  wy: number;
  wz: number;
}

/** Checks a strike; returns its unit direction or throws a RangeError saying what is wrong. */
export function strikeDirection(strike: CueStrike): { x: number; y: number } {
  let dx: number;
  let dy: number;
  if (strike.direction !== undefined) {
    if (strike.direction_rad !== undefined) throw new RangeError("give direction_rad or direction, not both");
    const len = Math.hypot(strike.direction.x, strike.direction.y);
    if (!Number.isFinite(len) || len < 1e-9) throw new RangeError("strike direction must be a finite non-zero vector");
    dx = strike.direction.x / len;
    dy = strike.direction.y / len;
  } else {
    if (strike.direction_rad === undefined || !Number.isFinite(strike.direction_rad)) {
      throw new RangeError("strike needs a finite direction_rad or a direction vector");
    }
    dx = Math.cos(strike.direction_rad);
    dy = Math.sin(strike.direction_rad);
  }
  const speed = strike.speed_m_s;
  if (!Number.isFinite(speed) || speed <= 0 || speed > MAX_CUE_BALL_SPEED_M_S) {
    throw new RangeError(`strike speed_m_s=${speed} must be in (0, ${MAX_CUE_BALL_SPEED_M_S}]`);
  }
  const a = strike.side ?? 0;
  const b = strike.vertical ?? 0;
  if (!Number.isFinite(a) || !Number.isFinite(b) || a * a + b * b > MISCUE_OFFSET_LIMIT * MISCUE_OFFSET_LIMIT) {
    throw new RangeError(`tip offset (side ${a}, vertical ${b}) must lie within ${MISCUE_OFFSET_LIMIT}·R of centre`);
  }
  return { x: dx, y: dy };
}

export function cueStrikeVelocity(strike: CueStrike, ballRadius_m: number): BallVelocity {
  const d = strikeDirection(strike);
  const v = strike.speed_m_s;
  const a = strike.side ?? 0;
  const b = strike.vertical ?? 0;
  const spin = (5 * v) / (2 * ballRadius_m);
  // left = ẑ × d = (−dy, dx)
  return { vx: v * d.x, vy: v * d.y, wx: -spin * b * d.y, wy: spin * b * d.x, wz: spin * a };
}
