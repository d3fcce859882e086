import { CARDS_PER_DECK, type Card } from "./card.ts";

export const MIN_DECKS = 1;
export const MAX_DECKS = 8;

/**
 * The unshuffled order every fair shuffle starts from: deck 1 then deck 2 ..., each deck clubs, diamonds,
 * hearts, spades, each suit ace .. king — i.e. card ids 0..51 repeated `decks` times.
 */
export function orderedShoe(decks: number): Card[] {
  if (!Number.isInteger(decks) || decks < MIN_DECKS || decks > MAX_DECKS) {
    throw new RangeError(`decks must be an integer ${MIN_DECKS}..${MAX_DECKS}`);
  }
  const cards: Card[] = new Array(decks * CARDS_PER_DECK);
  for (let i = 0; i < cards.length; i++) cards[i] = i % CARDS_PER_DECK;
  return cards;
}
