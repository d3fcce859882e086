import {
  combineClientSeeds,
  createSeedState,
  type FairSeeds,
  generateServerSeed,
  isClientSeed,
  publicSeedState,
  type RevealedSeed,
  rotateSeeds,
  type SeedState,
  takeNonce,
} from "../simulation/rng/index.ts";
import { IntentRejected } from "./intents.ts";

/** Revealed seeds a table keeps for late joiners to verify; older ones were broadcast when revealed. */
const REVEALED_KEPT = 10;

/**
 * A table's provably fair seeds. The server seed never leaves this object until it is rotated out; players see its
 * hash, the combined client seed and the nonce. Players' own client seeds are combined (docs/fairness.md) at the next
 * rotation, so no one can change the stream of a shoe already committed.
 */
export class TableSeeds {
  #state: SeedState;
  readonly #playerSeeds = new Map<number, string>();
  readonly revealed: RevealedSeed[] = [];

  constructor(defaultClientSeed: string) {
    this.#state = createSeedState(generateServerSeed(), defaultClientSeed);
  }

  get public() {
    return publicSeedState(this.#state);
  }

  /** The seeds for the next shuffle or draw; the nonce advances. */
  next(): FairSeeds {
    const { nonce, next } = takeNonce(this.#state);
    this.#state = next;
    return { serverSeed: next.serverSeed, clientSeed: next.clientSeed, nonce };
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

  /** Reveals the current server seed and commits a fresh one with the players' combined client seed. */
  rotate(): RevealedSeed {
    const entries = [...this.#playerSeeds].map(([seat, clientSeed]) => ({ seat, clientSeed }));
    const clientSeed = entries.length > 0 ? combineClientSeeds(entries) : this.#state.clientSeed;
    const { revealed, next } = rotateSeeds(this.#state, generateServerSeed(), clientSeed);
    this.#state = next;
    this.revealed.push(revealed);
    if (this.revealed.length > REVEALED_KEPT) this.revealed.shift();
    return revealed;
  }
}
