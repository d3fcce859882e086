/**
 * A card is an integer 0..51: suit * 13 + (rank - 1). Ranks run 1 (ace) .. 13 (king); suits run
 * 0 clubs, 1 diamonds, 2 hearts, 3 spades. Plain numbers keep shoes cheap to copy and easy to serialise.
 */
export type Card = number;
export type Rank = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13;
export type Suit = 0 | 1 | 2 | 3;

export const ACE: Rank = 1;
export const JACK: Rank = 11;
export const QUEEN: Rank = 12;
export const KING: Rank = 13;
export const CLUBS: Suit = 0;
export const DIAMONDS: Suit = 1;
export const HEARTS: Suit = 2;
export const SPADES: Suit = 3;
export const CARDS_PER_DECK = 52;

const RANK_CHARS = "A23456789TJQK";
const SUIT_CHARS = "cdhs";
const SUIT_NAMES = ["clubs", "diamonds", "hearts", "spades"] as const;

export function isCard(value: unknown): value is Card {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value < CARDS_PER_DECK;
}

export function makeCard(rank: Rank, suit: Suit): Card {
  return suit * 13 + (rank - 1);
}

export function cardRank(card: Card): Rank {
  return ((card % 13) + 1) as Rank;
}

export function cardSuit(card: Card): Suit {
  return Math.floor(card / 13) as Suit;
}

export function suitName(suit: Suit): string {
  return SUIT_NAMES[suit];
}

/** Two characters: rank (A 2-9 T J Q K) then suit (c d h s), e.g. "As", "Td", "7h". */
export function cardToString(card: Card): string {
  return RANK_CHARS[cardRank(card) - 1] + SUIT_CHARS[cardSuit(card)];
}

/** Inverse of cardToString; also accepts "10" for ten and upper-case suits. */
export function parseCard(text: string): Card {
  const trimmed = text.trim();
  const rankText = trimmed.slice(0, -1).toUpperCase();
  const suitText = trimmed.slice(-1).toLowerCase();
  const rankIndex = rankText === "10" ? 9 : rankText.length === 1 ? RANK_CHARS.indexOf(rankText) : -1;
  const suitIndex = SUIT_CHARS.indexOf(suitText);
  if (rankIndex < 0 || suitIndex < 0 || suitText === "") throw new RangeError(`not a card: "${text}"`);
  return makeCard((rankIndex + 1) as Rank, suitIndex as Suit);
}

/** Parses a space- or comma-separated list, e.g. "As Kd 7h". */
export function parseCards(text: string): Card[] {
  return text
    .split(/[\s,]+/)
    .filter((part) => part !== "")
    .map(parseCard);
}

export function cardsToString(cards: readonly Card[]): string {
  return cards.map(cardToString).join(" ");
}
