import { ACE, type Card, cardRank } from "./card.ts";

/** Blackjack point value of one card: ace 1 (hand totals promote one ace to 11), 2-9 face value, T J Q K 10. */
export function blackjackValue(card: Card): number {
  const rank = cardRank(card);
  return Math.min(rank, 10);
}

export interface HandTotal {
  /** Best total: one ace counts 11 when that does not bust. */
  total: number;
  /** True when an ace is counting as 11. */
  soft: boolean;
}

export function handTotal(cards: readonly Card[]): HandTotal {
  let hard = 0;
  let aces = 0;
  for (const card of cards) {
    const value = blackjackValue(card);
    hard += value;
    if (value === 1) aces += 1;
  }
  if (aces > 0 && hard + 10 <= 21) return { total: hard + 10, soft: true };
  return { total: hard, soft: false };
}

/** A natural: exactly two cards, an ace and a ten-value card. (Whether it counts as blackjack after a split is the game's rule.) */
export function isTwoCardTwentyOne(cards: readonly Card[]): boolean {
  return cards.length === 2 && handTotal(cards).total === 21;
}

/**
 * High-card order for draws: ace is high. 2 < 3 < ... < K < A; suits never break a tie (a tie redraws).
 * Returns 2..14.
 */
export function highCardRank(card: Card): number {
  const rank = cardRank(card);
  return rank === ACE ? 14 : rank;
}

/** Negative when a ranks below b, zero on equal rank, positive when a ranks above b (ace high). */
export function compareHighCard(a: Card, b: Card): number {
  return highCardRank(a) - highCardRank(b);
}
