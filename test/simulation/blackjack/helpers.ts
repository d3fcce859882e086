import { expect } from "vitest";
import {
  type ActionResult,
  applyAction,
  type BlackjackAction,
  type BlackjackRules,
  type BlackjackState,
  createTable,
  type RulePresetName,
  rulesFromPreset,
  stackedShoe,
} from "../../../simulation/blackjack/index.ts";
import { parseCards } from "../../../simulation/cards/index.ts";

export const BET = 1000n;

/** A table whose shoe deals exactly `cards` (deal order: each seat, dealer up, each seat, hole, then draws). */
export function stackedTable(
  cards: string,
  preset: RulePresetName = "strip-6d-s17-das-ls",
  overrides: Partial<BlackjackRules> = {},
  cutCard?: number,
): BlackjackState {
  const order = parseCards(cards);
  return createTable(rulesFromPreset(preset, overrides), stackedShoe(order, cutCard ?? order.length));
}

export function ok(state: BlackjackState, action: BlackjackAction): BlackjackState {
  const result = applyAction(state, action);
  if (!result.ok) throw new Error(`${action.type} failed: ${result.error.code} ${result.error.message}`);
  return result.state;
}

export function run(state: BlackjackState, ...actions: BlackjackAction[]): BlackjackState {
  return actions.reduce(ok, state);
}

/** Bets `BET` on each seat and deals. */
export function dealt(state: BlackjackState, seats: number[] = [0], bet: bigint = BET): BlackjackState {
  let next = state;
  for (const seat of seats) next = ok(next, { type: "bet", seat, amount: bet });
  return ok(next, { type: "deal" });
}

export function expectError(state: BlackjackState, action: BlackjackAction, code: string): ActionResult {
  const snapshot = structuredClone(state);
  const result = applyAction(state, action);
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.error.code).toBe(code);
  expect(state).toEqual(snapshot); // the state is untouched
  return result;
}

export function seatResult(state: BlackjackState, seat = 0) {
  expect(state.phase).toBe("settled");
  const result = state.result!.seats.find((s) => s.seat === seat);
  expect(result).toBeDefined();
  return result!;
}
