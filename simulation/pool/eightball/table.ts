// Balls, groups and pockets of an 8-ball rack, named the way the rules name them.

/** The cue ball's number wherever a ball list may name it (only `ShotSummary.offTable`). */
export const CUE_BALL = 0;
export const EIGHT_BALL = 8;

/** An object ball, 1..15: solids 1–7, the 8, stripes 9–15. */
export type ObjectBall = number;
/** The two players of a rack, by seat. */
export type PlayerId = 0 | 1;
export type Group = "solids" | "stripes";

export const OBJECT_BALLS: readonly ObjectBall[] = Object.freeze([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
export const SOLIDS: readonly ObjectBall[] = Object.freeze([1, 2, 3, 4, 5, 6, 7]);
export const STRIPES: readonly ObjectBall[] = Object.freeze([9, 10, 11, 12, 13, 14, 15]);

/**
 * Pocket ids 0..5, seen by the breaker standing at the head rail and looking down the table to the foot
 * (where the rack is): the left long rail holds 0, 1, 2 from head to foot, the right long rail 3, 4, 5 from foot to head.
 */
export const POCKETS = Object.freeze([
  { id: 0, name: "head-left corner", kind: "corner" },
  { id: 1, name: "left side", kind: "side" },
  { id: 2, name: "foot-left corner", kind: "corner" },
  { id: 3, name: "foot-right corner", kind: "corner" },
  { id: 4, name: "right side", kind: "side" },
  { id: 5, name: "head-right corner", kind: "corner" },
] as const);
export type PocketId = 0 | 1 | 2 | 3 | 4 | 5;

export function isPocketId(value: unknown): value is PocketId {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 5;
}

export function isObjectBall(value: unknown): value is ObjectBall {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 15;
}

export function isPlayerId(value: unknown): value is PlayerId {
  return value === 0 || value === 1;
}

export function otherPlayer(player: PlayerId): PlayerId {
  return player === 0 ? 1 : 0;
}

/** The group a ball belongs to; the 8 belongs to neither. */
export function groupOf(ball: ObjectBall): Group | null {
  if (ball >= 1 && ball <= 7) return "solids";
  if (ball >= 9 && ball <= 15) return "stripes";
  return null;
}

export function otherGroup(group: Group): Group {
  return group === "solids" ? "stripes" : "solids";
}
