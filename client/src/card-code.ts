export const RANKS = "A23456789TJQK";
const SUIT_LETTERS = "cdhs";

/** Card ids are 0..51: suit * 13 + rank - 1, suits clubs, diamonds, hearts, spades (docs/fairness.md). */
export function cardCode(id: number): string {
  return RANKS[id % 13]! + SUIT_LETTERS[Math.floor(id / 13)]!;
}
