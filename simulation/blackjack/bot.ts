import { blackjackValue } from "../cards/index.ts";
import { legalActions } from "./queries.ts";
import type { BlackjackAction, BlackjackState } from "./state.ts";
import { type StrategyAction, strategyDecision } from "./strategy.ts";

const PLAY_ACTIONS: ReadonlySet<string> = new Set<StrategyAction>(["hit", "stand", "double", "split", "surrender"]);

/**
 * The basic-strategy player's move for `seat`, or null when the seat has nothing to decide.
 * It never takes insurance or even money (basic strategy declines both) and never bets: betting is the caller's.
 */
export function basicStrategyAction(state: BlackjackState, seat: number): BlackjackAction | null {
  if (state.phase === "insurance") {
    return state.seats[seat]?.insurance === "pending" ? { type: "declineInsurance", seat } : null;
  }
  if (state.phase !== "playerTurns" || state.turn?.seat !== seat) return null;
  const hand = state.seats[seat]!.hands[state.turn.hand];
  const allowed = legalActions(state, seat).filter((a): a is StrategyAction => PLAY_ACTIONS.has(a));
  const upValue = blackjackValue(state.dealer.cards[0]);
  return { type: strategyDecision(state.rules, hand, upValue, allowed), seat };
}
