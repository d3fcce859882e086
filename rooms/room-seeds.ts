import type { ArraySchema } from "@colyseus/schema";
import {
  combineClientSeeds,
  createSeedState,
  isClientSeed,
  type RevealedSeed,
  rotateSeeds,
  type SeedState,
} from "../simulation/rng/index.ts";
import { generateServerSeed } from "../src/fair/server-seed.ts";
import { IntentRejected } from "./intents.ts";

/** Revealed seeds a room keeps in its state for late joiners to verify; each was also broadcast when revealed. */
export const REVEALED_SEEDS_KEPT = 10;

/**
 * Every game room's provably fair seeds (docs/fairness.md). The room keeps the live seed state where no client
 * sees it (a blackjack table's own field, the draws engine's state, a pool match); this class makes seed states
 * from fresh server seeds, remembers the players' client seeds until the next rotation, and keeps the seeds already
 * revealed. Players' seeds are combined only at a rotation (or when a pool match fixes its seeds), after the new
 * server seed is chosen, so no one can steer the stream of a committed seed.
 */
export class RoomSeeds {
  readonly #defaultClientSeed: string;
  readonly #playerSeeds = new Map<number, string>();
  readonly revealed: RevealedSeed[] = [];
  /** A player asked for the seed to be revealed; the room rotates at its next chance (between rounds). */
  rotationRequested = false;

  /** `roomId` names the room's default client seed; characters a client seed may not hold become `_`. */
  constructor(prefix: string, roomId: string) {
    const defaultClientSeed = `${prefix}-${roomId.replace(/[^A-Za-z0-9_-]/g, "_")}`.slice(0, 64);
    if (!isClientSeed(defaultClientSeed)) throw new RangeError("bad default client seed");
    this.#defaultClientSeed = defaultClientSeed;
  }

  /** A fresh server seed with the room's default client seed. */
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

  /** The players' seeds combined, or the room's default when no player has given one. */
  clientSeed(): string {
    const entries = [...this.#playerSeeds].map(([seat, clientSeed]) => ({ seat, clientSeed }));
    return entries.length > 0 ? combineClientSeeds(entries) : this.#defaultClientSeed;
  }

  /**
   * Retires `current` (revealing its server seed) and commits a fresh one with the players' combined client seed; a
   * rotation a player asked for is then done.
   */
  rotate(current: SeedState): { revealed: RevealedSeed; next: SeedState } {
    this.rotationRequested = false;
    const rotated = rotateSeeds(current, generateServerSeed(), this.clientSeed());
    this.revealed.push(rotated.revealed);
    if (this.revealed.length > REVEALED_SEEDS_KEPT) this.revealed.shift();
    return rotated;
  }
}

/** Adds a seed just revealed to the room's synced list, which keeps the last REVEALED_SEEDS_KEPT. */
export function showRevealedSeed<V>(views: ArraySchema<V>, view: V): void {
  views.push(view);
  while (views.length > REVEALED_SEEDS_KEPT) views.shift();
}
