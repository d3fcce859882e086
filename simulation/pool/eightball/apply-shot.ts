// The ruling on one shot: fouls, the break, groups, the 8, and who plays next with the cue ball where.
// Rule numbers are those of the WPA World Standardized Rules, section 3 (Eight Ball) and 6 (Fouls).

import type { RuleError } from "./errors.ts";
import { validateShotIntent } from "./intent.ts";
import { ballsTakenDown, type ShotSummary, validateShotSummary } from "./shot-summary.ts";
import {
  type BallInHandArea,
  type EightBallState,
  type GameOverReason,
  type GameResult,
  isShooterOnEight,
  type PendingDecision,
} from "./state.ts";
import {
  CUE_BALL,
  EIGHT_BALL,
  type Group,
  groupOf,
  type ObjectBall,
  otherGroup,
  otherPlayer,
  type PlayerId,
} from "./table.ts";

export type FoulKind =
  | "cueBallPocketed" // WPA 6.1 (scratch)
  | "cueBallOffTable" // WPA 6.1
  | "noContact" // WPA 6.2: the cue ball touched no object ball
  | "wrongBallFirst" // WPA 6.2 with 3.4 (the 8 first on an open table) and 3.9 (not the shooter's group, or not the 8)
  | "noRailAfterContact" // WPA 6.3: nothing pocketed and no ball to a cushion after contact
  | "objectBallOffTable" // WPA 6.5
  | "badPlayFromBehindHeadString"; // WPA 6.11: in hand behind the head string, first contact behind it too

export interface ShotOutcome {
  readonly shooter: PlayerId;
  readonly wasBreak: boolean;
  /** No foul, and for a break also a legal break. */
  readonly legal: boolean;
  /** Every foul the shot committed, in rule order; empty when none. An illegal break alone is not a foul (WPA 3.3d). */
  readonly fouls: readonly FoulKind[];
  readonly illegalBreak: boolean;
  /** groups[player], set only on the shot that decided them. */
  readonly groupsAssigned: readonly [Group, Group] | null;
  /** The shooter stays at the table (WPA 3.3c, 3.5). */
  readonly turnContinues: boolean;
  /** Who shoots next, or who must choose when `pendingDecision` is set; the shooter when the game is over. */
  readonly nextShooter: PlayerId;
  /** Where `nextShooter` has the cue ball in hand, or null to play it where it lies. */
  readonly ballInHand: BallInHandArea | null;
  readonly pendingDecision: PendingDecision | null;
  /** Object balls driven off the table that stay out of play (WPA 3.7: only the 8 is ever spotted). */
  readonly offTableNotSpotted: readonly ObjectBall[];
  readonly gameOver: GameResult | null;
}

export type ShotRuling =
  | { readonly ok: true; readonly state: EightBallState; readonly outcome: ShotOutcome }
  | { readonly ok: false; readonly error: RuleError };

/** Rules on a simulated shot taken by the current shooter. A refused shot (`ok: false`) leaves the state as it was. */
export function applyShot(state: EightBallState, summary: ShotSummary): ShotRuling {
  const summaryError = validateShotSummary(summary, state.ballsOnTable);
  if (summaryError) return { ok: false, error: summaryError };
  const intentError = validateShotIntent(state, state.shooter, summary.intent);
  if (intentError) return { ok: false, error: intentError };
  return state.phase === "break" ? ruleBreak(state, summary) : ruleShot(state, summary);
}

/** Fouls a break can commit. The break need not hit any ball first (WPA 3.3b); missing the rack is an illegal break. */
function breakFouls(summary: ShotSummary): FoulKind[] {
  const fouls: FoulKind[] = [];
  if (summary.cueBallPocketed) fouls.push("cueBallPocketed");
  if (summary.offTable.includes(CUE_BALL)) fouls.push("cueBallOffTable");
  if (summary.offTable.some((ball) => ball !== CUE_BALL)) fouls.push("objectBallOffTable");
  return fouls;
}

/** WPA 3.3: the break shot. */
function ruleBreak(state: EightBallState, summary: ShotSummary): ShotRuling {
  const breaker = state.shooter;
  const incoming = otherPlayer(breaker);
  const fouls = breakFouls(summary);
  // WPA 3.3(d): a ball pocketed, or at least four object balls driven to one or more rails.
  const illegalBreak = summary.pocketed.length === 0 && summary.objectBallsToCushion.length < 4;
  const eightDown = summary.pocketed.some(({ ball }) => ball === EIGHT_BALL) || summary.offTable.includes(EIGHT_BALL);

  let pendingDecision: PendingDecision | null = null;
  if (illegalBreak) {
    // WPA 3.3(d): the incoming player accepts the table, or re-racks and breaks, or has the breaker break again.
    // Accepting after a break foul gives the cue ball in hand behind the head string, as any break foul does.
    pendingDecision = {
      chooser: incoming,
      reason: "illegalBreak",
      rerackBreakers: [incoming, breaker],
      acceptShooter: incoming,
      acceptBallInHand: fouls.length > 0 ? "behindHeadString" : null,
    };
  } else if (eightDown && fouls.length > 0) {
    // WPA 3.3(f), 3.7: the opponent re-spots the 8 and shoots in hand behind the head string, or re-breaks.
    pendingDecision = {
      chooser: incoming,
      reason: "eightBallOnBreakWithFoul",
      rerackBreakers: [incoming],
      acceptShooter: incoming,
      acceptBallInHand: "behindHeadString",
    };
  } else if (eightDown) {
    // WPA 3.3(e): not a foul; the breaker re-spots the 8 and plays on, or re-breaks.
    pendingDecision = {
      chooser: breaker,
      reason: "eightBallOnBreak",
      rerackBreakers: [breaker],
      acceptShooter: breaker,
      acceptBallInHand: null,
    };
  }

  const down = ballsTakenDown(summary);
  const turnContinues = pendingDecision === null && fouls.length === 0 && summary.pocketed.length > 0; // 3.3(c)
  const nextShooter = pendingDecision ? pendingDecision.chooser : turnContinues ? breaker : incoming;
  // A foul on a legal break: cue ball in hand behind the head string for the incoming player (WPA 3.3).
  const ballInHand: BallInHandArea | null = pendingDecision === null && fouls.length > 0 ? "behindHeadString" : null;
  const next: EightBallState = {
    ...state,
    phase: pendingDecision ? "awaitingDecision" : "openTable", // the table is open after the break (3.3c, 3.4)
    shotCount: state.shotCount + 1,
    shooter: nextShooter,
    ballInHand,
    ballsOnTable: withoutBalls(state.ballsOnTable, down),
    ballsDown: [...state.ballsDown, ...down],
    pendingDecision,
  };
  return {
    ok: true,
    state: next,
    outcome: {
      shooter: breaker,
      wasBreak: true,
      legal: !illegalBreak && fouls.length === 0,
      fouls,
      illegalBreak,
      groupsAssigned: null,
      turnContinues,
      nextShooter,
      ballInHand,
      pendingDecision,
      offTableNotSpotted: notSpotted(summary),
      gameOver: null,
    },
  };
}

/** Any shot after the break. */
function ruleShot(state: EightBallState, summary: ShotSummary): ShotRuling {
  const shooter = state.shooter;
  const opponent = otherPlayer(shooter);
  const onEight = isShooterOnEight(state);
  const fouls = shotFouls(state, summary, onEight);
  const down = ballsTakenDown(summary);
  const afterBalls = {
    ...state,
    shotCount: state.shotCount + 1,
    ballsOnTable: withoutBalls(state.ballsOnTable, down),
    ballsDown: [...state.ballsDown, ...down],
  };

  const lossReason = eightBallLoss(summary, onEight, fouls.length > 0);
  const eightPocketed = summary.pocketed.some(({ ball }) => ball === EIGHT_BALL);
  if (lossReason !== null || eightPocketed) {
    // Either a loss under WPA 3.8, or the 8 legally in the called pocket: the shooter wins (3.5).
    const result: GameResult =
      lossReason === null
        ? { winner: shooter, loser: opponent, reason: "eightBallInCalledPocket" }
        : { winner: opponent, loser: shooter, reason: lossReason };
    const next: EightBallState = { ...afterBalls, phase: "gameOver", ballInHand: null, result };
    return {
      ok: true,
      state: next,
      outcome: {
        shooter,
        wasBreak: false,
        legal: fouls.length === 0 && lossReason === null,
        fouls,
        illegalBreak: false,
        groupsAssigned: null,
        turnContinues: false,
        nextShooter: shooter,
        ballInHand: null,
        pendingDecision: null,
        offTableNotSpotted: notSpotted(summary),
        gameOver: result,
      },
    };
  }

  let groups = state.groups;
  let groupsAssigned: readonly [Group, Group] | null = null;
  let turnContinues = false;
  if (fouls.length === 0) {
    const scored = summary.pocketed.map(({ ball }) => groupOf(ball));
    if (groups === null) {
      // WPA 3.4: a ball legally pocketed on an open table decides the groups. Without called balls,
      // the first ball to drop stands for the called one (docs/eightball.md).
      const first = scored.find((group) => group !== null);
      if (first) {
        groupsAssigned = shooter === 0 ? [first, otherGroup(first)] : [otherGroup(first), first];
        groups = groupsAssigned;
      }
    }
    // WPA 3.5: the shooter stays at the table after legally pocketing a ball of their own group.
    turnContinues = groups !== null && scored.includes(groups[shooter]);
  }
  const nextShooter = turnContinues ? shooter : opponent;
  const ballInHand: BallInHandArea | null = fouls.length > 0 ? "anywhere" : null; // WPA 3.9
  const next: EightBallState = {
    ...afterBalls,
    phase: groups === null ? "openTable" : "groupsAssigned",
    shooter: nextShooter,
    groups,
    ballInHand,
  };
  return {
    ok: true,
    state: next,
    outcome: {
      shooter,
      wasBreak: false,
      legal: fouls.length === 0,
      fouls,
      illegalBreak: false,
      groupsAssigned,
      turnContinues,
      nextShooter,
      ballInHand,
      pendingDecision: null,
      offTableNotSpotted: notSpotted(summary),
      gameOver: null,
    },
  };
}

/** WPA 3.9 standard fouls that a shot summary can show, in the order of section 6. */
function shotFouls(state: EightBallState, summary: ShotSummary, onEight: boolean): FoulKind[] {
  const fouls: FoulKind[] = [];
  if (summary.cueBallPocketed) fouls.push("cueBallPocketed");
  if (summary.offTable.includes(CUE_BALL)) fouls.push("cueBallOffTable");
  const first = summary.firstContact;
  if (first === null) {
    fouls.push("noContact");
  } else if (!isLegalFirstContact(state, first, onEight)) {
    fouls.push("wrongBallFirst");
  }
  // WPA 6.3: with no object ball pocketed, some ball must reach a cushion after the first contact.
  if (first !== null && summary.pocketed.length === 0 && !summary.cushionAfterFirstContact) {
    fouls.push("noRailAfterContact");
  }
  if (summary.offTable.some((ball) => ball !== CUE_BALL)) fouls.push("objectBallOffTable");
  if (first !== null && state.ballInHand === "behindHeadString" && summary.firstContactBehindHeadString === true) {
    fouls.push("badPlayFromBehindHeadString");
  }
  return fouls;
}

function isLegalFirstContact(state: EightBallState, ball: ObjectBall, onEight: boolean): boolean {
  if (state.groups === null) return ball !== EIGHT_BALL; // WPA 3.4: any ball but the 8 on an open table
  if (onEight) return ball === EIGHT_BALL;
  return groupOf(ball) === state.groups[state.shooter];
}

/** WPA 3.8: how the shooter loses the rack on this shot, if they do. Listed (d), (b), (a), (c) when several hold. */
function eightBallLoss(summary: ShotSummary, onEight: boolean, fouled: boolean): GameOverReason | null {
  if (summary.offTable.includes(EIGHT_BALL)) return "eightBallOffTable";
  const eight = summary.pocketed.find(({ ball }) => ball === EIGHT_BALL);
  if (!eight) return null;
  if (!onEight) return "eightBallPocketedEarly";
  if (fouled) return "eightBallPocketedOnFoul";
  if (eight.pocket !== summary.intent.calledPocket) return "eightBallInUncalledPocket";
  return null;
}

function withoutBalls(ballsOnTable: readonly ObjectBall[], down: readonly { ball: ObjectBall }[]): ObjectBall[] {
  const gone = new Set(down.map(({ ball }) => ball));
  return ballsOnTable.filter((ball) => !gone.has(ball));
}

function notSpotted(summary: ShotSummary): ObjectBall[] {
  return summary.offTable.filter((ball) => ball !== CUE_BALL && ball !== EIGHT_BALL);
}
