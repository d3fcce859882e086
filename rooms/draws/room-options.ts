import { ServerError } from "@colyseus/core";
import type { z } from "zod";
import { type DrawRoomMode, drawRoomOptionsSchema } from "../../protocol/draws.ts";
import { type DrawsConfig, drawsConfig } from "../../simulation/draws/index.ts";
import { normalizeChallengeCode } from "../challenge-code.ts";
import { parseOptions, refuseOptions, tierOf, unusedCode } from "../room-options.ts";

export { type DrawRoomMode, drawRoomOptionsSchema };

export interface DrawRoomOptions {
  mode: DrawRoomMode;
  tier: string;
  /** The private challenge's code when matchmaking issued it; null when the room picks its own. */
  code: string | null;
  config: DrawsConfig;
  /** The stake every round is played for, when the room fixes it; null when the seats agree it round by round. */
  fixedStakeMinor: bigint | null;
  /** Tournament: the two players, by seat. */
  players: [string, string] | null;
  drawMs: number;
  reconnectSeconds: number;
  patchRateMs: number;
}

export function parseDrawRoomOptions(input: unknown): DrawRoomOptions {
  const o = parseOptions(drawRoomOptionsSchema, input);
  if (o.code !== undefined && (o.tier === undefined || o.mode !== "private")) {
    throw new ServerError(404, "NO_SUCH_CHALLENGE: no open challenge has this code");
  }
  if (o.mode === "quick" && o.stakeMinor === undefined) refuseOptions("stakeMinor: quick match needs a stake");
  if (o.mode === "tournament" && !o.players) refuseOptions("players: a tournament match names its two players");
  if (o.mode !== "tournament" && o.players) refuseOptions("players: only a tournament match names players");
  const fixedStakeMinor = o.stakeMinor === undefined ? null : BigInt(o.stakeMinor);
  const config = drawsConfig({
    bestOf: o.bestOf ?? null,
    maxRounds: Math.max(o.maxRounds, o.bestOf ?? 1),
    ...(fixedStakeMinor === null ? {} : { minStakeMinor: fixedStakeMinor, maxStakeMinor: fixedStakeMinor }),
  });
  return {
    mode: o.mode,
    tier: tierOf(customSettings(o), DEFAULT_SETTINGS),
    code: o.code ?? null,
    config,
    fixedStakeMinor,
    players: o.players ? [o.players[0]!, o.players[1]!] : null,
    drawMs: o.drawSeconds * 1000,
    reconnectSeconds: o.reconnectSeconds,
    patchRateMs: o.patchRateMs,
  };
}

type ParsedDrawRoomOptions = z.infer<typeof drawRoomOptionsSchema>;

function customSettings(o: ParsedDrawRoomOptions): Record<string, number | string> {
  return {
    bestOf: o.bestOf ?? 0,
    maxRounds: o.maxRounds,
    drawSeconds: o.drawSeconds,
    reconnectSeconds: o.reconnectSeconds,
    patchRateMs: o.patchRateMs,
  };
}

const DEFAULT_SETTINGS = customSettings(drawRoomOptionsSchema.parse({}));

/**
 * What a client's request to join or create a draws room becomes before matchmaking sees it. A code finds a private
 * challenge and nothing else. A quick match is found by its stake (a number) and its tier, so a player asking for
 * the standard settings never lands in a room with custom timers. A new private challenge gets a code of its own,
 * so `{}` never joins someone else's challenge. Tournament matches are made by the tournament service only.
 */
export async function drawMatchmakingOptions(raw: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (raw.mode === "tournament") {
    throw new ServerError(403, "TOURNAMENT_ONLY: tournament matches are made by the tournament service");
  }
  if (raw.code !== undefined) return { mode: "private", code: normalizeChallengeCode(raw.code) ?? "" };
  const { tier: _tier, code: _code, ...requested } = raw;
  const options = parseDrawRoomOptions(requested);
  if (options.mode === "quick") {
    return { ...requested, mode: "quick", stakeMinor: Number(options.fixedStakeMinor), tier: options.tier };
  }
  return { ...requested, mode: "private", tier: options.tier, code: await unusedCode("draws") };
}

export interface DrawJoinOptions {
  /** A private challenge's code; the player who created the challenge needs none. */
  code?: string;
}

export interface DrawRoomMetadata {
  mode: string;
  tier: string;
  stakeMinor?: number;
  code?: string;
  /** Tournament: set when the match ends, for the tournament to read. */
  result?: { winnerPlayerId: string | null; reason: string };
}
