// Checks made before a shot is simulated: is this player allowed to shoot now, with this declaration?

import { type RuleError, ruleError } from "./errors.ts";
import type { ShotIntent } from "./shot-summary.ts";
import { type EightBallState, isShooterOnEight } from "./state.ts";
import { isPlayerId, isPocketId } from "./table.ts";

/** Null when `player` may take the next shot with `intent`; otherwise why not. Changes nothing. */
export function validateShotIntent(state: EightBallState, player: unknown, intent: unknown): RuleError | null {
  if (state.phase === "gameOver") return ruleError("game_over", "the game is over");
  if (state.phase === "awaitingDecision") {
    return ruleError("decision_pending", `player ${state.shooter} must first choose how play goes on`);
  }
  if (!isPlayerId(player)) return ruleError("invalid_player", "player must be 0 or 1");
  if (player !== state.shooter) return ruleError("not_your_turn", `it is player ${state.shooter}'s shot`);
  if (typeof intent !== "object" || intent === null) {
    return ruleError("invalid_called_pocket", "intent must be an object with calledPocket");
  }
  const { calledPocket } = intent as Partial<ShotIntent>;
  if (calledPocket !== null && !isPocketId(calledPocket)) {
    return ruleError("invalid_called_pocket", "calledPocket must be null or a pocket id 0..5");
  }
  // WPA 3.6 lets obvious shots go uncalled; the product asks for the pocket on every shot at the 8.
  if (isShooterOnEight(state) && !isPocketId(calledPocket)) {
    return ruleError("called_pocket_required", "call a pocket for the 8");
  }
  return null;
}
