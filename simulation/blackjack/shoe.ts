import { CARDS_PER_DECK, type Card, isCard } from "../cards/index.ts";
import type { FairSeeds } from "../rng/index.ts";
import { hashServerSeed, recomputeShoe } from "../rng/index.ts";

/** Public reference to where a run of cards came from, so a verifier can recompute it once the seed is revealed. */
export interface ShoeSource {
  /** Index in `cards` of this source's first card. */
  startsAt: number;
  serverSeedHash: string;
  clientSeed: string;
  nonce: number;
  decks: number;
}

/**
 * The shoe is internal state: cards in deal order, top first. `position` is the next card to deal; the cut card
 * sits before index `cutCard`, so once position >= cutCard the round in progress finishes and the shoe is done.
 */
export interface BlackjackShoe {
  cards: readonly Card[];
  position: number;
  cutCard: number;
  sources: readonly ShoeSource[];
}

export function cutCardIndex(totalCards: number, penetration: number): number {
  return Math.floor(totalCards * penetration);
}

/** A shoe shuffled by the fair RNG for these seeds and nonce. */
export function createFairShoe(seeds: FairSeeds, decks: number, penetration: number): BlackjackShoe {
  const cards = recomputeShoe(seeds, decks);
  return {
    cards,
    position: 0,
    cutCard: cutCardIndex(cards.length, penetration),
    sources: [
      {
        startsAt: 0,
        serverSeedHash: hashServerSeed(seeds.serverSeed),
        clientSeed: seeds.clientSeed,
        nonce: seeds.nonce,
        decks,
      },
    ],
  };
}

/** A shoe in an explicit order (tests, replays). The cut card defaults to the end: it is never reached early. */
export function stackedShoe(cards: readonly Card[], cutCard: number = cards.length): BlackjackShoe {
  if (!cards.every(isCard)) throw new RangeError("stacked shoe holds a non-card");
  return { cards: [...cards], position: 0, cutCard, sources: [] };
}

export function cardsRemaining(shoe: BlackjackShoe): number {
  return shoe.cards.length - shoe.position;
}

export function isCutCardReached(shoe: BlackjackShoe): boolean {
  return shoe.position >= shoe.cutCard;
}

export function shoeDecks(shoe: BlackjackShoe): number {
  return shoe.cards.length / CARDS_PER_DECK;
}
