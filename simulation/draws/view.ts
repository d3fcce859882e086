import { type PublicSeedState, publicSeedState } from "../rng/index.ts";
import type { DrawsState } from "./state.ts";

/** Everything players may see: the state without the secret server seed (its hash, client seed and nonce stay). */
export type PublicDrawsView = Omit<DrawsState, "seeds"> & { seeds: PublicSeedState };

/** Cards enter the state only when drawn, so the only secret to drop is the server seed. */
export function publicDrawsView(state: DrawsState): PublicDrawsView {
  const { seeds, ...rest } = structuredClone(state);
  return { ...rest, seeds: publicSeedState(seeds) };
}
