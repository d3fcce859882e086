import type { QueuedGame } from "../protocol/matchmaker.ts";

/**
 * What can be queued for: each game's room, its stake tiers, and how a matched pair becomes that room's options.
 * Matched rooms use the rooms' named-players mode (the one tournaments use): seats exist only for the two players
 * the matchmaker reserved them for, and the stake is fixed by the tier.
 */
export interface QueuedGameDefinition {
  game: QueuedGame;
  roomName: string;
  tiers: ReadonlyMap<string, bigint>;
  /** The best-of series a ticket may ask for (draws); null when the game has none. */
  bestOf: readonly number[] | null;
  defaultBestOf: number | null;
  roomOptions(players: [string, string], stakeMinor: bigint, bestOf: number | null): Record<string, unknown>;
}

const TIERS = new Map<string, bigint>([
  ["micro", 100n],
  ["low", 1_000n],
  ["mid", 10_000n],
  ["high", 100_000n],
]);

export const QUEUED_GAME_DEFINITIONS: ReadonlyMap<QueuedGame, QueuedGameDefinition> = new Map([
  [
    "pool",
    {
      game: "pool",
      roomName: "pool",
      tiers: TIERS,
      bestOf: null,
      defaultBestOf: null,
      roomOptions: (players, stakeMinor) => ({ mode: "tournament", players, stakeMinor: Number(stakeMinor) }),
    },
  ],
  [
    "draws",
    {
      game: "draws",
      roomName: "draws",
      tiers: TIERS,
      bestOf: [1, 3, 5, 7],
      defaultBestOf: 1,
      roomOptions: (players, stakeMinor, bestOf) => ({
        mode: "tournament",
        players,
        stakeMinor: Number(stakeMinor),
        bestOf: bestOf ?? 1,
      }),
    },
  ],
]);

/** One queue per game, tier and (for draws) series length: only tickets of the same queue are paired. */
export interface QueueKey {
  game: QueuedGame;
  tier: string;
  bestOf: number | null;
}

export function queueId(key: QueueKey): string {
  return key.bestOf === null ? `${key.game}:${key.tier}` : `${key.game}:${key.tier}:bo${key.bestOf}`;
}

export function parseQueueId(id: string): QueueKey | undefined {
  const [game, tier, series] = id.split(":");
  const definition = QUEUED_GAME_DEFINITIONS.get(game as QueuedGame);
  if (!definition || tier === undefined || !definition.tiers.has(tier)) return undefined;
  const bestOf = series === undefined ? null : Number(series.slice(2));
  if ((bestOf === null) !== (definition.bestOf === null)) return undefined;
  return { game: definition.game, tier, bestOf };
}
