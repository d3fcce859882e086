import { assertClientSeed, assertNonce, hashServerSeed } from "./seeds.ts";

/** What the server holds for one table or match. serverSeed stays secret until rotated out. */
export interface SeedState {
  serverSeed: string;
  serverSeedHash: string;
  clientSeed: string;
  /** The nonce the next shuffle or draw will use. */
  nonce: number;
}

/** What players may see at any time. */
export interface PublicSeedState {
  serverSeedHash: string;
  clientSeed: string;
  nonce: number;
}

/** Published when a seed is retired: everything needed to recompute every shuffle made with it. */
export interface RevealedSeed {
  serverSeed: string;
  serverSeedHash: string;
  clientSeed: string;
  /** Nonces 0 .. nextNonce-1 were used with this seed. */
  nextNonce: number;
}

export function createSeedState(serverSeed: string, clientSeed: string): SeedState {
  assertClientSeed(clientSeed);
  return { serverSeed, serverSeedHash: hashServerSeed(serverSeed), clientSeed, nonce: 0 };
}

export function publicSeedState(state: SeedState): PublicSeedState {
  return { serverSeedHash: state.serverSeedHash, clientSeed: state.clientSeed, nonce: state.nonce };
}

/** Takes the current nonce for one shuffle or draw and advances it. */
export function takeNonce(state: SeedState): { nonce: number; next: SeedState } {
  assertNonce(state.nonce + 1);
  return { nonce: state.nonce, next: { ...state, nonce: state.nonce + 1 } };
}

/**
 * Retires the current server seed (revealing it) and commits a new one. The client seed may change only here,
 * so a seed's whole history is recomputable from one (serverSeed, clientSeed) pair. The nonce restarts at 0.
 */
export function rotateSeeds(
  state: SeedState,
  newServerSeed: string,
  newClientSeed: string = state.clientSeed,
): { revealed: RevealedSeed; next: SeedState } {
  if (newServerSeed === state.serverSeed) throw new RangeError("a rotation must commit a new server seed");
  return {
    revealed: {
      serverSeed: state.serverSeed,
      serverSeedHash: state.serverSeedHash,
      clientSeed: state.clientSeed,
      nextNonce: state.nonce,
    },
    next: createSeedState(newServerSeed, newClientSeed),
  };
}
