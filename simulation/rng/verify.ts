import { type Card, orderedShoe } from "../cards/index.ts";
import { FairNumberStream, type FairSeeds } from "./hmac-stream.ts";
import { hashServerSeed, isServerSeed } from "./seeds.ts";
import { LazyShuffle, shuffleWith } from "./shuffle.ts";

/** True when the revealed server seed is the one whose SHA-256 was committed. */
export function verifyCommitment(serverSeed: string, serverSeedHash: string): boolean {
  return isServerSeed(serverSeed) && hashServerSeed(serverSeed) === serverSeedHash.toLowerCase();
}

/** The whole shoe (top card first) for `decks` decks shuffled with these seeds and nonce. */
export function recomputeShoe(seeds: FairSeeds, decks: number): Card[] {
  return shuffleWith(orderedShoe(decks), new FairNumberStream(seeds));
}

/** The first `count` cards of that shoe: a draw is the top of a shuffle, computed without the rest. */
export function recomputeDraw(seeds: FairSeeds, count: number, decks = 1): Card[] {
  const shuffle = new LazyShuffle(orderedShoe(decks), new FairNumberStream(seeds));
  if (!Number.isInteger(count) || count < 0 || count > shuffle.length) {
    throw new RangeError(`count must be 0..${shuffle.length}`);
  }
  return shuffle.take(count);
}

/** A shuffle whose cards are produced on demand, in the order they will be dealt. */
export function lazyFairShoe(seeds: FairSeeds, decks: number): LazyShuffle<Card> {
  return new LazyShuffle(orderedShoe(decks), new FairNumberStream(seeds));
}
