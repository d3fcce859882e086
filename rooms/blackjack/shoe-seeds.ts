import { type BlackjackShoe, createFairShoe } from "../../simulation/blackjack/index.ts";
import {
  type PublicSeedState,
  publicSeedState,
  type RevealedSeed,
  type SeedState,
  takeNonce,
} from "../../simulation/rng/index.ts";
import { RoomSeeds } from "../room-seeds.ts";

/**
 * A table's provably fair shoes: the live seed state (server seed included, never synced: only its public part
 * is), each shoe shuffled on its next nonce, and a rotation (the seed revealed, a fresh one committed) when the cut
 * card is out or a player asked for one.
 */
export class ShoeSeeds {
  /** The players' client seeds, the seeds revealed so far and a player's rotation request. */
  readonly room: RoomSeeds;
  readonly #shoe: { decks: number; penetration: number };
  #state: SeedState;

  constructor(roomId: string, shoe: { decks: number; penetration: number }) {
    this.room = new RoomSeeds("table", roomId);
    this.#shoe = shoe;
    this.#state = this.room.initial();
  }

  /** A fresh shuffle, on the seed state's next nonce. */
  nextShoe(): BlackjackShoe {
    const { nonce, next } = takeNonce(this.#state);
    this.#state = next;
    const seeds = { serverSeed: next.serverSeed, clientSeed: next.clientSeed, nonce };
    return createFairShoe(seeds, this.#shoe.decks, this.#shoe.penetration);
  }

  /** Retires the seed in use (revealing it) and commits a fresh one with the players' combined client seed. */
  rotate(): RevealedSeed {
    const { revealed, next } = this.room.rotate(this.#state);
    this.#state = next;
    return revealed;
  }

  get public(): PublicSeedState {
    return publicSeedState(this.#state);
  }
}
