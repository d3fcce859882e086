import { type Card, compareHighCard } from "../cards/index.ts";
import { type FairSeeds, recomputeDraw } from "../rng/index.ts";
import type { Seat } from "./settlement.ts";

/** Each draw attempt shuffles one 52-card deck with its own nonce. */
export const DRAW_DECKS = 1;
/** Seat 0 takes the first card of that shuffle and seat 1 the second: `recomputeDraw(seeds, 2, 1)`. */
export const CARDS_PER_ATTEMPT = 2;

/** The two cards of one attempt, indexed by seat. The same for whichever seat presses first. */
export function attemptCards(seeds: FairSeeds): [Card, Card] {
  const [seat0, seat1] = recomputeDraw(seeds, CARDS_PER_ATTEMPT, DRAW_DECKS);
  return [seat0, seat1];
}

/** The seat whose card ranks higher (ace high, suits ignored), or null on equal rank: a tie. */
export function higherCardSeat(cards: readonly [Card, Card]): Seat | null {
  const order = compareHighCard(cards[0], cards[1]);
  if (order === 0) return null;
  return order > 0 ? 0 : 1;
}
