import { ServerError } from "@colyseus/core";
import type { z } from "zod";
import {
  POOL_MAX_STAKE_MINOR,
  POOL_MIN_STAKE_MINOR,
  type PoolRoomMode,
  poolRoomOptionsSchema,
} from "../../protocol/pool.ts";
import type { TableSize } from "../../simulation/pool/index.ts";
import type { MatchEnding } from "../../simulation/pool/match.ts";
import { normalizeChallengeCode } from "../challenge-code.ts";
import { parseOptions, refuseOptions, tierOf, unusedCode } from "../room-options.ts";

export { POOL_MAX_STAKE_MINOR, POOL_MIN_STAKE_MINOR, type PoolRoomMode, poolRoomOptionsSchema };

export interface PoolJoinOptions {
  /** Watch without taking a seat. */
  spectate?: boolean;
  /** A private challenge's code: the second player and spectators of a private match need it. */
  code?: string;
}

/** What the room's listing shows matchmaking (and the monitor). */
export interface PoolRoomMetadata {
  mode: string;
  tier: string;
  stakeMinor: number;
  code?: string;
  table: string;
}

/** The rules' endings and the time cap (simulation/pool/match.ts), and the room's own. */
export type PoolEndReason = MatchEnding["reason"] | "forfeit" | "concede" | "abandoned" | "shutdown";

export interface PoolRoomOptions {
  mode: PoolRoomMode;
  tier: string;
  /** The private challenge's code when matchmaking issued it; null when the room picks its own. */
  code: string | null;
  practice: boolean;
  stakeMinor: bigint;
  /** The house's rake on the pot (POOL_RAKE_BPS, src/config.ts): never a client's choice. */
  rakeBps: number;
  players: [string, string] | null;
  table: TableSize;
  shotClockMs: number;
  extensions: number;
  extensionMs: number;
  matchMs: number;
  reconnectSeconds: number;
  acceptMs: number;
  animationScale: number;
  patchRateMs: number;
  /** Messages a client may send per second before Colyseus disconnects it (4002): the room's flood limit. */
  maxMessagesPerSecond: number;
}

/** The flood limit of a room played at human pace: far above what a player sends. */
const MESSAGES_PER_SECOND_MIN = 20;
/** The most a player sends on one turn: an extension, then the shot (or the decision). */
const MESSAGES_PER_TURN_MAX = 2;

/**
 * A player learns that it is to play from a patch, so it gets at most one turn per patch; with no animation window
 * (animationScale 0) a bot acting at once on each turn reaches that pace. The flood limit admits it, so a player who
 * only acts on its own turns is never cut off, however fast the room plays.
 */
function floodLimit(patchRateMs: number): number {
  return Math.max(MESSAGES_PER_SECOND_MIN, MESSAGES_PER_TURN_MAX * Math.ceil(1000 / patchRateMs));
}

export function parsePoolRoomOptions(input: unknown, rakeBps = 0): PoolRoomOptions {
  const o = parseOptions(poolRoomOptionsSchema, input);
  if (o.code !== undefined && (o.tier === undefined || o.mode !== "private")) {
    throw new ServerError(404, "NO_SUCH_CHALLENGE: no open challenge has this code");
  }
  if (o.mode === "quick" && o.stakeMinor === undefined) refuseOptions("stakeMinor: quick match needs a stake");
  if (o.mode === "tournament" && !o.players) refuseOptions("players: a tournament match names its two players");
  if (o.mode !== "tournament" && o.players) refuseOptions("players: only a tournament match names players");
  if (o.practice && (o.mode !== "private" || o.stakeMinor !== undefined)) {
    refuseOptions("practice: a practice match is private and has no stake");
  }
  return {
    mode: o.mode,
    tier: tierOf(customSettings(o), DEFAULT_SETTINGS),
    code: o.code ?? null,
    practice: o.practice,
    stakeMinor: o.practice ? 0n : BigInt(o.stakeMinor ?? POOL_MIN_STAKE_MINOR),
    rakeBps,
    players: o.players ? [o.players[0]!, o.players[1]!] : null,
    table: o.table,
    shotClockMs: o.shotClockSeconds * 1000,
    extensions: o.extensions,
    extensionMs: o.extensionSeconds * 1000,
    matchMs: o.matchSeconds * 1000,
    reconnectSeconds: o.reconnectSeconds,
    acceptMs: o.acceptSeconds * 1000,
    animationScale: o.animationScale,
    patchRateMs: o.patchRateMs,
    maxMessagesPerSecond: floodLimit(o.patchRateMs),
  };
}

export function poolRoomMetadata(options: PoolRoomOptions, code: string): PoolRoomMetadata {
  const { mode, tier, stakeMinor, table } = options;
  return { mode, tier, stakeMinor: Number(stakeMinor), table, ...(code ? { code } : {}) };
}

type ParsedPoolRoomOptions = z.infer<typeof poolRoomOptionsSchema>;

function customSettings(o: ParsedPoolRoomOptions): Record<string, number | string> {
  return {
    shotClockSeconds: o.shotClockSeconds,
    extensions: o.extensions,
    extensionSeconds: o.extensionSeconds,
    matchSeconds: o.matchSeconds,
    reconnectSeconds: o.reconnectSeconds,
    acceptSeconds: o.acceptSeconds,
    animationScale: o.animationScale,
    patchRateMs: o.patchRateMs,
  };
}

const DEFAULT_SETTINGS = customSettings(poolRoomOptionsSchema.parse({}));

/**
 * What a client's request to join or create a pool room becomes before matchmaking sees it. A code finds a private
 * challenge and nothing else. A quick match is found by its stake (a number), table and tier, so a player asking
 * for the standard settings never lands in a room with custom clocks. A new private challenge gets a code of its
 * own, so `{}` never joins someone else's challenge. Tournament matches are made by the tournament service only.
 */
export async function poolMatchmakingOptions(raw: Record<string, unknown>): Promise<Record<string, unknown>> {
  const spectate = raw.spectate === true;
  if (raw.mode === "tournament") {
    throw new ServerError(403, "TOURNAMENT_ONLY: tournament matches are made by the tournament service");
  }
  if (raw.code !== undefined) return { mode: "private", code: normalizeChallengeCode(raw.code) ?? "", spectate };
  const { tier: _tier, code: _code, ...requested } = raw;
  const options = parsePoolRoomOptions(requested);
  const base = {
    ...requested,
    stakeMinor: Number(options.stakeMinor),
    table: options.table,
    tier: options.tier,
    spectate,
  };
  if (options.mode === "quick") return { ...base, mode: "quick" };
  return { ...base, mode: "private", code: await unusedCode("pool") };
}
