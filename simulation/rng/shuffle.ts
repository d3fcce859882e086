import { FairNumberStream, type FairSeeds, type Uint32Source, uniformInt } from "./hmac-stream.ts";

/**
 * Fisher–Yates run from the front: step i (i = 0 .. n-2) takes j = i + uniformInt(n - i) and swaps positions i
 * and j, which fixes position i for good. So the first k items of a shuffle need only k steps, and a draw of k
 * cards is exactly the top k cards of the full shuffle with the same seeds and nonce.
 */
export class LazyShuffle<T> {
  private readonly items: T[];
  private readonly source: Uint32Source;
  private fixed = 0;

  constructor(items: readonly T[], source: Uint32Source) {
    this.items = [...items];
    this.source = source;
  }

  get length(): number {
    return this.items.length;
  }

  /** How many leading positions are already final. */
  get settled(): number {
    return this.fixed;
  }

  /** Fixes and returns the next position's item; undefined once every item has been taken. */
  next(): T | undefined {
    const n = this.items.length;
    const i = this.fixed;
    if (i >= n) return undefined;
    if (i < n - 1) {
      const j = i + uniformInt(this.source, n - i);
      const held = this.items[i];
      this.items[i] = this.items[j];
      this.items[j] = held;
    }
    this.fixed += 1;
    return this.items[i];
  }

  /** The next `count` items (fewer if the shuffle runs out). */
  take(count: number): T[] {
    const out: T[] = [];
    for (let k = 0; k < count; k++) {
      const item = this.next();
      if (item === undefined) break;
      out.push(item);
    }
    return out;
  }
}

export function shuffleWith<T>(items: readonly T[], source: Uint32Source): T[] {
  const lazy = new LazyShuffle(items, source);
  return lazy.take(items.length);
}

/** The full shuffle of `items` for one (serverSeed, clientSeed, nonce). */
export function fairShuffle<T>(items: readonly T[], seeds: FairSeeds): T[] {
  return shuffleWith(items, new FairNumberStream(seeds));
}

/** The permutation for n positions: element k is the original index now at position k. */
export function fairPermutation(n: number, seeds: FairSeeds): number[] {
  return fairShuffle(
    Array.from({ length: n }, (_, k) => k),
    seeds,
  );
}
