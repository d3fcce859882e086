import type { RoundResult } from "../../simulation/draws/index.ts";
import { toWire } from "../wire.ts";

/**
 * The `roundSettled` message. `players`: who staked on each seat (they were paid even if they have left since);
 * a round that ended before stakes were held names the players seated instead, and has no wallet round.
 */
export function roundSettledMessage(
  result: RoundResult,
  roundId: string | null,
  match: number,
  players: readonly (string | null)[],
  seated: readonly (string | null)[],
) {
  return {
    roundId: result.stakesHeld ? roundId : null,
    match,
    players: result.stakesHeld ? players : seated,
    result: toWire(result),
  };
}
