// What the 8-ball rules need to know of one physically simulated shot, and the check that a summary fits the table.

import { type RuleError, ruleError } from "./errors.ts";
import type { DownBall } from "./state.ts";
import { CUE_BALL, isObjectBall, isPocketId, type ObjectBall, type PocketId } from "./table.ts";

/** What the shooter declared before the shot (the client's part of the shot). */
export interface ShotIntent {
  /** The pocket called for the 8. Required when the shooter is on the 8 (WPA 3.6); ignored on any other shot. */
  readonly calledPocket: PocketId | null;
}

export interface PocketedBall {
  readonly ball: ObjectBall;
  readonly pocket: PocketId;
}

/**
 * One simulated shot as the rules see it. The physics engine fills every field from its event list;
 * the intent is copied from the shooter's message.
 */
export interface ShotSummary {
  readonly intent: ShotIntent;
  /** The first object ball the cue ball touched, or null if it touched none. */
  readonly firstContact: ObjectBall | null;
  /** Object balls that came to rest in a pocket, in the order they dropped. The cue ball is never listed here. */
  readonly pocketed: readonly PocketedBall[];
  /** The cue ball came to rest in a pocket (a scratch). */
  readonly cueBallPocketed: boolean;
  /** Some ball, the cue ball included, touched a cushion after the cue ball's first contact with an object ball. */
  readonly cushionAfterFirstContact: boolean;
  /** Each object ball that touched a cushion at any time during the shot, once (the break's four-balls-to-a-rail count). */
  readonly objectBallsToCushion: readonly ObjectBall[];
  /** Balls that left the table and came to rest anywhere but the bed or a pocket; 0 is the cue ball. May be empty. */
  readonly offTable: readonly number[];
  /**
   * Only read when the cue ball was in hand behind the head string: the first object ball contacted lay behind the
   * head string and the cue ball had not crossed the head string before touching it (WPA 6.11). Absent means false.
   */
  readonly firstContactBehindHeadString?: boolean;
}

/** Upper bound on any ball list in a summary: the fifteen object balls plus the cue ball. */
const MAX_BALLS_IN_LIST = 16;

/** Checks a summary's shape and that every ball it names was on the table when the shot began. */
export function validateShotSummary(summary: unknown, ballsOnTable: readonly ObjectBall[]): RuleError | null {
  const bad = (message: string) => ruleError("invalid_summary", message);
  if (typeof summary !== "object" || summary === null) return bad("summary must be an object");
  const s = summary as Partial<Record<keyof ShotSummary, unknown>>;
  const onTable = new Set(ballsOnTable);

  if (typeof s.intent !== "object" || s.intent === null) return bad("intent must be an object");
  const calledPocket = (s.intent as { calledPocket?: unknown }).calledPocket;
  if (calledPocket !== null && !isPocketId(calledPocket)) return bad("intent.calledPocket must be null or 0..5");

  if (s.firstContact !== null && !(isObjectBall(s.firstContact) && onTable.has(s.firstContact))) {
    return bad("firstContact must be null or an object ball on the table");
  }
  if (typeof s.cueBallPocketed !== "boolean") return bad("cueBallPocketed must be a boolean");
  if (typeof s.cushionAfterFirstContact !== "boolean") return bad("cushionAfterFirstContact must be a boolean");
  if (s.firstContactBehindHeadString !== undefined && typeof s.firstContactBehindHeadString !== "boolean") {
    return bad("firstContactBehindHeadString must be a boolean when present");
  }

  if (!Array.isArray(s.pocketed) || s.pocketed.length > MAX_BALLS_IN_LIST) return bad("pocketed must be a short array");
  const gone = new Set<number>();
  for (const entry of s.pocketed as unknown[]) {
    const { ball, pocket } = (entry ?? {}) as { ball?: unknown; pocket?: unknown };
    if (!isObjectBall(ball) || !onTable.has(ball)) return bad("pocketed names a ball that is not on the table");
    if (!isPocketId(pocket)) return bad("pocketed names a pocket outside 0..5");
    if (gone.has(ball)) return bad(`ball ${ball} is pocketed twice`);
    gone.add(ball);
  }

  if (!Array.isArray(s.offTable) || s.offTable.length > MAX_BALLS_IN_LIST) return bad("offTable must be a short array");
  for (const ball of s.offTable as unknown[]) {
    if (ball === CUE_BALL) {
      if (s.cueBallPocketed) return bad("the cue ball cannot be both pocketed and off the table");
      if (gone.has(CUE_BALL)) return bad("the cue ball is listed off the table twice");
      gone.add(CUE_BALL);
      continue;
    }
    if (!isObjectBall(ball) || !onTable.has(ball)) return bad("offTable names a ball that is not on the table");
    if (gone.has(ball)) return bad(`ball ${ball} is listed twice among pocketed and off-table balls`);
    gone.add(ball);
  }

  if (!Array.isArray(s.objectBallsToCushion) || s.objectBallsToCushion.length > MAX_BALLS_IN_LIST) {
    return bad("objectBallsToCushion must be a short array");
  }
  const railed = new Set<number>();
  for (const ball of s.objectBallsToCushion as unknown[]) {
    if (!isObjectBall(ball) || !onTable.has(ball))
      return bad("objectBallsToCushion names a ball that is not on the table");
    if (railed.has(ball)) return bad(`ball ${ball} is listed twice in objectBallsToCushion`);
    railed.add(ball);
  }
  return null;
}

/** The object balls a (validated) shot takes off the bed: pocketed ones in drop order, then those driven off. */
export function ballsTakenDown(summary: ShotSummary): DownBall[] {
  const down: DownBall[] = summary.pocketed.map(({ ball, pocket }) => ({ ball, where: pocket }));
  for (const ball of summary.offTable) if (ball !== CUE_BALL) down.push({ ball, where: "offTable" });
  return down;
}
