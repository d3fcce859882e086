import {
  combineClientSeeds,
  createSeedState,
  generateServerSeed,
  isClientSeed,
  type RevealedSeed,
  rotateSeeds,
  type SeedState,
} from "../../simulation/rng/index.ts";
import { IntentRejected } from "../intents.ts";

/** Revealed seeds the room keeps in its state for late verification; each one was also broadcast when revealed. */
export const REVEALED_SEEDS_KEPT = 10;

/**
 * The draws engine holds the live seed state itself (it takes a nonce per draw attempt), so the room never keeps a
 * second copy of the server seed: this class only makes seed states, remembers the players' client seeds until the
 * next rotation, and keeps the seeds already revealed. Players' seeds are combined (docs/fairness.md) only at a
 * rotation, after the new server seed is chosen, so no one can steer the stream of a committed seed.
 */
export class MatchSeeds {
  readonly #defaultClientSeed: string;
  readonly #playerSeeds = new Map<number, string>();
  readonly revealed: RevealedSeed[] = [];

  constructor(defaultClientSeed: string) {
    if (!isClientSeed(defaultClientSeed)) throw new RangeError("bad default client seed");
    this.#defaultClientSeed = defaultClientSeed;
  }

  /** The first seed state of a room: a fresh server seed and the room's default client seed. */
  initial(): SeedState {
    return createSeedState(generateServerSeed(), this.#defaultClientSeed);
  }

  setPlayerSeed(seat: number, clientSeed: string): void {
    if (!isClientSeed(clientSeed)) {
      throw new IntentRejected("BAD_CLIENT_SEED", "a client seed is 1 to 64 of A-Z a-z 0-9 _ -");
    }
    this.#playerSeeds.set(seat, clientSeed);
  }

  clearPlayerSeed(seat: number): void {
    this.#playerSeeds.delete(seat);
  }

  /** Retires `current` (revealing its server seed) and commits a fresh one with the players' combined client seed. */
  rotate(current: SeedState): { revealed: RevealedSeed; next: SeedState } {
    const entries = [...this.#playerSeeds].map(([seat, clientSeed]) => ({ seat, clientSeed }));
    const clientSeed = entries.length > 0 ? combineClientSeeds(entries) : this.#defaultClientSeed;
    const rotated = rotateSeeds(current, generateServerSeed(), clientSeed);
    this.revealed.push(rotated.revealed);
    if (this.revealed.length > REVEALED_SEEDS_KEPT) this.revealed.shift();
    return rotated;
  }
}
