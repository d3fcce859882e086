// The pure state of one 8-ball game between players 0 and 1, how a rack starts, and the invariants it always keeps.

import {
  EIGHT_BALL,
  type Group,
  groupOf,
  isPlayerId,
  OBJECT_BALLS,
  type ObjectBall,
  type PlayerId,
  type PocketId,
} from "./table.ts";

/**
 * - `break`: the breaker is to break a fresh rack (cue ball in hand behind the head string, WPA 3.3a).
 * - `openTable`: after the break, groups not yet chosen (WPA 3.4).
 * - `groupsAssigned`: each player owns solids or stripes.
 * - `awaitingDecision`: a break left a choice to one player (illegal break, or the 8 off the bed on the break).
 * - `gameOver`: the rack has a winner.
 * Ball in hand is not a phase of its own: it is `ballInHand`, which can hold in any of the playing phases.
 */
export type Phase = "break" | "openTable" | "groupsAssigned" | "awaitingDecision" | "gameOver";

/** Where the incoming shooter may place the cue ball. */
export type BallInHandArea = "behindHeadString" | "anywhere";

/** An object ball that has left the table for good (or until a re-spot or re-rack): the pocket, or off the table. */
export interface DownBall {
  readonly ball: ObjectBall;
  readonly where: PocketId | "offTable";
}

export type DecisionReason =
  | "illegalBreak" // WPA 3.3(d): no ball pocketed and fewer than four object balls to a rail
  | "eightBallOnBreak" // WPA 3.3(e): the 8 pocketed on a legal break without a foul
  | "eightBallOnBreakWithFoul"; // WPA 3.3(f) and 3.7: the 8 pocketed or driven off on a break that fouled

/** A choice a player owes before play goes on. */
export interface PendingDecision {
  readonly chooser: PlayerId;
  readonly reason: DecisionReason;
  /** Who may break if the chooser asks for a re-rack; never empty. */
  readonly rerackBreakers: readonly PlayerId[];
  /** Who shoots next if the chooser accepts the table (the 8 is re-spotted first when it is down). */
  readonly acceptShooter: PlayerId;
  /** Where that shooter has the cue ball in hand, or null to play it where it lies. */
  readonly acceptBallInHand: BallInHandArea | null;
}

export type Decision = { readonly kind: "acceptTable" } | { readonly kind: "rerack"; readonly breaker: PlayerId };

/** Why a rack ended, from the rule that decided it (docs/eightball.md maps each to its WPA number). */
export type GameOverReason =
  | "eightBallInCalledPocket" // the shooter won (WPA 3.5)
  | "eightBallPocketedEarly" // the shooter lost: 8 down before the group was cleared (WPA 3.8b)
  | "eightBallPocketedOnFoul" // the shooter lost: fouled on the shot that pocketed the 8 (WPA 3.8a)
  | "eightBallInUncalledPocket" // the shooter lost: 8 in a pocket other than the called one (WPA 3.8c)
  | "eightBallOffTable"; // the shooter lost: drove the 8 off the table (WPA 3.8d)

export interface GameResult {
  readonly winner: PlayerId;
  readonly loser: PlayerId;
  readonly reason: GameOverReason;
}

export interface EightBallState {
  readonly phase: Phase;
  /** 1 for the first rack of the game; each re-rack adds one. */
  readonly rack: number;
  /** Shots applied over the whole game, re-racks included. */
  readonly shotCount: number;
  /** Who breaks (or broke) the current rack. */
  readonly breaker: PlayerId;
  /** Whose turn it is: the one to shoot, or the one to choose while a decision is pending; the last shooter once over. */
  readonly shooter: PlayerId;
  /** groups[player], or null while the table is open. */
  readonly groups: readonly [Group, Group] | null;
  readonly ballInHand: BallInHandArea | null;
  /** Object balls on the bed, ascending. */
  readonly ballsOnTable: readonly ObjectBall[];
  /** Object balls pocketed or driven off, in the order they went down. */
  readonly ballsDown: readonly DownBall[];
  readonly pendingDecision: PendingDecision | null;
  readonly result: GameResult | null;
}

/** A fresh rack: all fifteen balls on the table, the breaker with the cue ball in hand behind the head string. */
export function newRack(breaker: PlayerId, rack: number, shotCount: number): EightBallState {
  return {
    phase: "break",
    rack,
    shotCount,
    breaker,
    shooter: breaker,
    groups: null,
    ballInHand: "behindHeadString",
    ballsOnTable: OBJECT_BALLS,
    ballsDown: [],
    pendingDecision: null,
    result: null,
  };
}

export function createEightBallGame(options: { readonly breaker: PlayerId }): EightBallState {
  if (!isPlayerId(options.breaker)) throw new RangeError("breaker must be player 0 or 1");
  return newRack(options.breaker, 1, 0);
}

/** True when none of the group's balls is left on the table: that player now plays the 8. */
export function groupCleared(group: Group, ballsOnTable: readonly ObjectBall[]): boolean {
  return !ballsOnTable.some((ball) => groupOf(ball) === group);
}

/** True when the shooter owns a group and it is cleared: the 8 is their ball and its pocket must be called. */
export function isShooterOnEight(state: EightBallState): boolean {
  return state.groups !== null && groupCleared(state.groups[state.shooter], state.ballsOnTable);
}

/** Every broken invariant of a state, as sentences; empty when the state is consistent. */
export function checkStateInvariants(state: EightBallState): string[] {
  const problems: string[] = [];
  if (!isPlayerId(state.shooter)) problems.push(`shooter ${String(state.shooter)} is not 0 or 1`);
  if (!isPlayerId(state.breaker)) problems.push(`breaker ${String(state.breaker)} is not 0 or 1`);

  const seen = new Map<number, number>();
  for (const ball of state.ballsOnTable) seen.set(ball, (seen.get(ball) ?? 0) + 1);
  for (const { ball } of state.ballsDown) seen.set(ball, (seen.get(ball) ?? 0) + 1);
  for (const ball of OBJECT_BALLS) {
    const count = seen.get(ball) ?? 0;
    if (count !== 1) problems.push(`ball ${ball} is accounted for ${count} times`);
  }
  if (seen.size !== OBJECT_BALLS.length) problems.push("a ball outside 1..15 is on the table or down");
  for (let i = 1; i < state.ballsOnTable.length; i++) {
    if (state.ballsOnTable[i - 1]! >= state.ballsOnTable[i]!) problems.push("ballsOnTable is not ascending");
  }

  const over = state.phase === "gameOver";
  if (over !== (state.result !== null)) problems.push("a result exists exactly when the phase is gameOver");
  if (state.result && state.result.winner === state.result.loser) problems.push("the winner is also the loser");
  const deciding = state.phase === "awaitingDecision";
  if (deciding !== (state.pendingDecision !== null)) {
    problems.push("a pending decision exists exactly when the phase is awaitingDecision");
  }
  if (state.pendingDecision && state.pendingDecision.chooser !== state.shooter) {
    problems.push("the player who must decide is not the one whose turn it is");
  }
  if (state.phase === "groupsAssigned" && state.groups === null) problems.push("groupsAssigned without groups");
  if ((state.phase === "break" || state.phase === "openTable") && state.groups !== null) {
    problems.push(`groups are set during ${state.phase}`);
  }
  if (state.groups && state.groups[0] === state.groups[1]) problems.push("both players own the same group");
  if (state.phase === "break" && state.ballInHand !== "behindHeadString") {
    problems.push("a break is not taken with the cue ball in hand behind the head string");
  }
  if (!over && !deciding && !state.ballsOnTable.includes(EIGHT_BALL)) problems.push("play goes on without the 8");
  return problems;
}
