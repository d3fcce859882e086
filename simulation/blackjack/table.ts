import { houseShare } from "../money/pot.ts";
import { applyAction } from "./engine.ts";
import { defaultAction } from "./queries.ts";
import type { BlackjackShoe } from "./shoe.ts";
import type { ActionResult, BlackjackAction, BlackjackState, RoundResult } from "./state.ts";

/**
 * The rules of a table that plays round after round with players coming and going: one bet per seat a round, a
 * shoe extended when it runs out mid-round, what the table waits for next, and who is paid what. Pure, like the
 * engine: the room moves the money and runs the timers they name.
 */

/**
 * Applies `action`; a shoe that runs out mid-round is extended with `nextShoe()` and the action retried. `table` is
 * the state the result stands on (the extended one, kept even if the retried action is refused: its shuffle's
 * nonce is spent).
 */
export function applyExtendingShoe(
  state: BlackjackState,
  action: BlackjackAction,
  nextShoe: () => BlackjackShoe,
): { table: BlackjackState; result: ActionResult } {
  const result = applyAction(state, action);
  if (result.ok || result.error.code !== "SHOE_EXHAUSTED") return { table: state, result };
  const extended = applyAction(state, { type: "extendShoe", shoe: nextShoe() });
  if (!extended.ok) return { table: state, result };
  return { table: extended.state, result: applyAction(extended.state, action) };
}

/** A table takes one bet per seat a round (the engine alone would let a bet be replaced while betting is open). */
export function placeBet(state: BlackjackState, seat: number, amount: bigint): ActionResult {
  if (state.phase === "betting" && state.seats[seat]) {
    return { ok: false, error: { code: "ALREADY_BET", message: "you have already bet this round" } };
  }
  return applyAction(state, { type: "bet", seat, amount });
}

/** The window a timed step waits out before it runs: a player's own, or none (nobody to wait for). */
export type TableWindow = "betting" | "insurance" | "action" | "result" | "none";

/** What the table does next, and the window it waits first. */
export type TableStep =
  | { step: "idle" }
  | { step: "close" }
  | { step: "deal" | "timeout" | "settle" | "nextRound"; window: TableWindow };

export interface SeatPresence {
  /** Someone sits there now (their hand plays by the timeout rule once they have left for good). */
  present: boolean;
}

/**
 * The table's next step. Betting: deal after the betting window once someone has bet, at once when every seated
 * player has bet (or the table is closing); nothing to wait for with no bets, and a closing table closes. Insurance
 * and player turns: the owed default action after the seat's window, at once for a seat whose player has left.
 * Settled: pay out at once while the round's money is held (`moneyHeld`), then start the next round after the
 * result window.
 */
export function nextTableStep(
  state: BlackjackState,
  seats: readonly (SeatPresence | null)[],
  closing: boolean,
  moneyHeld: boolean,
): TableStep {
  switch (state.phase) {
    case "betting": {
      if (state.seats.every((s) => s === null)) return closing ? { step: "close" } : { step: "idle" };
      const waiting = seats.some((p, seat) => p?.present && !state.seats[seat]);
      return { step: "deal", window: waiting && !closing ? "betting" : "none" };
    }
    case "insurance":
    case "playerTurns": {
      const owed = defaultAction(state);
      if (!owed || !("seat" in owed)) return { step: "idle" };
      if (!seats[owed.seat]?.present) return { step: "timeout", window: "none" };
      return { step: "timeout", window: state.phase === "insurance" ? "insurance" : "action" };
    }
    case "settled":
      return moneyHeld ? { step: "settle", window: "none" } : { step: "nextRound", window: "result" };
    default:
      return { step: "idle" };
  }
}

/** Who is paid what when a round settles: each seat its returns, and the house keeps (or covers) the difference. */
export function roundPayouts(result: RoundResult) {
  let stakedMinor = 0n;
  let returnedMinor = 0n;
  for (const seat of result.seats) {
    stakedMinor += seat.totalStaked;
    returnedMinor += seat.totalReturned;
  }
  const seats = result.seats.map((seat) => ({ seat: seat.seat, amountMinor: seat.totalReturned }));
  return { seats, stakedMinor, returnedMinor, houseMinor: houseShare(stakedMinor, returnedMinor) };
}
