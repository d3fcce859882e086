import { applyDrawsAction, createDrawsMatch } from "./engine.ts";
import { otherSeat, type Seat } from "./settlement.ts";
import type { DrawsActionResult, DrawsError, DrawsEvent, DrawsState } from "./state.ts";

/**
 * The rules of a table that plays match after match: how a round is restarted with one click, when the seeds may
 * change, and what the draw timer waits for. Pure, like the engine: the room only moves the money they ask for.
 */

/** An accepted offer, and whether it matched the other seat's (then both stakes are to be held). */
export type OfferResult =
  | { ok: true; state: DrawsState; events: DrawsEvent[]; stakesHeld: boolean; newMatch: boolean }
  | { ok: false; error: DrawsError };

function offerResult(result: DrawsActionResult, before: DrawsEvent[], newMatch: boolean): OfferResult {
  if (!result.ok) return result;
  const events = [...before, ...result.events];
  return { ...result, events, stakesHeld: events.some((event) => event.type === "stakesHeld"), newMatch };
}

/** `seat` offers `stakeMinor` for the round being staked. */
export function offerStake(state: DrawsState, seat: Seat, stakeMinor: bigint): OfferResult {
  return offerResult(applyDrawsAction(state, { type: "stake", seat, stakeMinor }), [], false);
}

export interface RematchStakes {
  /** The stake the player named, if any. */
  requestedMinor: bigint | null;
  /** The stake the table is fixed at, if any. */
  fixedMinor: bigint | null;
  /** The stake of the last round held, if any. */
  lastMinor: bigint | null;
}

/**
 * One click for the next round: after a settled round it starts the next one (a new match on the same seeds once
 * the last one ended, where `newMatchAllowed`) and offers a stake for `seat`; while stakes are being offered it
 * accepts the other seat's offer. The stake is the one named, else the offer on the table, else the table's fixed
 * stake, else the last round's.
 */
export function rematch(state: DrawsState, seat: Seat, stakes: RematchStakes, newMatchAllowed: boolean): OfferResult {
  let base = state;
  const events: DrawsEvent[] = [];
  let newMatch = false;
  if (base.phase === "settled") {
    if (base.match.over) {
      if (!newMatchAllowed) return refused("MATCH_OVER", "this match is over and the table plays no other");
      base = createDrawsMatch(base.config, base.seeds);
      newMatch = true;
    } else {
      const next = applyDrawsAction(base, { type: "nextRound" });
      if (!next.ok) return next;
      base = next.state;
      events.push(...next.events);
    }
  } else if (base.phase !== "awaiting_stakes") {
    return refused("WRONG_PHASE", `cannot start a round in phase ${base.phase}`);
  }
  const stakeMinor = stakes.requestedMinor ?? base.offers[otherSeat(seat)] ?? stakes.fixedMinor ?? stakes.lastMinor;
  if (stakeMinor === null) return refused("NO_STAKE", "name a stake: no round has been played yet");
  return offerResult(applyDrawsAction(base, { type: "stake", seat, stakeMinor }), events, newMatch);
}

function refused(code: DrawsError["code"], message: string): OfferResult {
  return { ok: false, error: { code, message } };
}

/** No round is in play and no stake is offered: the only moment seeds may change. */
export function isBetweenRounds(state: DrawsState): boolean {
  return state.phase === "settled" || (state.phase === "awaiting_stakes" && state.offers.every((o) => o === null));
}

/**
 * Whether the seeds rotate now: at the first moment between rounds after a player asked, and once when a match has
 * ended (a finished match reveals its seed). `rotatedForMatch`: the ended match's seed was already revealed.
 */
export function seedRotationDue(state: DrawsState, requested: boolean, rotatedForMatch: boolean): boolean {
  return isBetweenRounds(state) && (requested || (state.match.over && !rotatedForMatch));
}

/** The attempt waiting for draws: an id no other attempt shares (its seed and nonce) and the seats yet to draw. */
export function pendingAttempt(state: DrawsState): { id: string; undrawn: Seat[] } | null {
  if (state.phase !== "awaiting_draws") return null;
  const attempt = state.attempts[state.attempts.length - 1];
  if (!attempt) return null;
  const undrawn = ([0, 1] as const).filter((seat) => attempt.cards[seat] === null);
  return { id: `${attempt.serverSeedHash}:${attempt.nonce}`, undrawn };
}
