// The choices a break can leave to one player (WPA 3.3 d–f, 3.7), applied explicitly.

import { type RuleError, ruleError } from "./errors.ts";
import { type BallInHandArea, type Decision, type EightBallState, newRack } from "./state.ts";
import { EIGHT_BALL, isPlayerId, type ObjectBall, type PlayerId } from "./table.ts";

export interface DecisionOutcome {
  readonly chooser: PlayerId;
  readonly decision: Decision;
  /** A fresh rack was set up; `nextShooter` breaks it. */
  readonly reracked: boolean;
  /** Balls put back on the table (the 8 on its spot, WPA 3.7), or none. */
  readonly respotted: readonly ObjectBall[];
  readonly nextShooter: PlayerId;
  readonly ballInHand: BallInHandArea | null;
}

export type DecisionRuling =
  | { readonly ok: true; readonly state: EightBallState; readonly outcome: DecisionOutcome }
  | { readonly ok: false; readonly error: RuleError };

/** Null when `player` may make `decision` now; otherwise why not. Changes nothing. */
export function validateDecision(state: EightBallState, player: unknown, decision: unknown): RuleError | null {
  if (state.phase === "gameOver") return ruleError("game_over", "the game is over");
  const pending = state.pendingDecision;
  if (pending === null) return ruleError("no_decision_pending", "no decision is asked for");
  if (!isPlayerId(player)) return ruleError("invalid_player", "player must be 0 or 1");
  if (player !== pending.chooser) return ruleError("not_your_decision", `player ${pending.chooser} decides`);
  if (typeof decision !== "object" || decision === null)
    return ruleError("invalid_decision", "decision must be an object");
  const { kind, breaker } = decision as { kind?: unknown; breaker?: unknown };
  if (kind === "acceptTable") return null;
  if (kind !== "rerack") return ruleError("invalid_decision", "decision.kind must be acceptTable or rerack");
  if (!isPlayerId(breaker) || !pending.rerackBreakers.includes(breaker)) {
    return ruleError(
      "invalid_decision",
      `after this break only player ${pending.rerackBreakers.join(" or ")} may re-break`,
    );
  }
  return null;
}

export function applyDecision(state: EightBallState, player: PlayerId, decision: Decision): DecisionRuling {
  const error = validateDecision(state, player, decision);
  if (error) return { ok: false, error };
  const pending = state.pendingDecision!;

  if (decision.kind === "rerack") {
    const next = newRack(decision.breaker, state.rack + 1, state.shotCount);
    const outcome: DecisionOutcome = {
      chooser: player,
      decision,
      reracked: true,
      respotted: [],
      nextShooter: next.shooter,
      ballInHand: next.ballInHand,
    };
    return { ok: true, state: next, outcome };
  }

  // Accepting the table: the 8, if it left the bed on the break, goes back on its spot (WPA 3.7).
  const eightDown = state.ballsDown.some(({ ball }) => ball === EIGHT_BALL);
  const respotted = eightDown ? [EIGHT_BALL] : [];
  const next: EightBallState = {
    ...state,
    phase: "openTable",
    shooter: pending.acceptShooter,
    ballInHand: pending.acceptBallInHand,
    ballsOnTable: eightDown ? [...state.ballsOnTable, EIGHT_BALL].sort((a, b) => a - b) : state.ballsOnTable,
    ballsDown: state.ballsDown.filter(({ ball }) => ball !== EIGHT_BALL),
    pendingDecision: null,
  };
  const outcome: DecisionOutcome = {
    chooser: player,
    decision,
    reracked: false,
    respotted,
    nextShooter: next.shooter,
    ballInHand: next.ballInHand,
  };
  return { ok: true, state: next, outcome };
}
