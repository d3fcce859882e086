// Every way the engine refuses an input. A refusal never changes the state it was given.

export type RuleErrorCode =
  | "game_over" // the rack has a winner; nothing more may be played
  | "decision_pending" // a player must first choose how play goes on (applyDecision)
  | "no_decision_pending" // a decision was sent where none is asked for
  | "invalid_player" // not 0 or 1
  | "not_your_turn" // only the shooter may shoot
  | "not_your_decision" // only the player named in the pending decision may choose
  | "called_pocket_required" // the shooter is on the 8 and must call its pocket (WPA 3.6)
  | "invalid_called_pocket" // a called pocket that is not a pocket id 0..5
  | "invalid_decision" // a decision whose shape or breaker is not one the pending decision offers
  | "invalid_summary"; // a shot summary malformed or inconsistent with the balls on the table

export interface RuleError {
  readonly code: RuleErrorCode;
  readonly message: string;
}

export function ruleError(code: RuleErrorCode, message: string): RuleError {
  return { code, message };
}
