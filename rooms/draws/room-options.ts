import { ServerError } from "@colyseus/core";
import { z } from "zod";
import {
  DEFAULT_DRAWS_CONFIG,
  type DrawsConfig,
  drawsConfig,
  MAX_ROUNDS_PER_MATCH,
} from "../../simulation/draws/index.ts";
import { parseOptions, refuseOptions, tierOf, unusedCode } from "../room-options.ts";
import { normalizeChallengeCode } from "./challenge-code.ts";

export type DrawRoomMode = "private" | "quick" | "tournament";

const seconds = (fallback: number, max: number) => z.number().min(0.05).max(max).default(fallback);
/** A count of minor units, as a JSON number or a string of digits: either way it is matched as a number. */
const wholeNumber = z.preprocess((v) => (typeof v === "string" && /^\d{1,16}$/.test(v) ? Number(v) : v), z.number());
const PLAYER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * What a client (or the tournament service) may ask for when it creates a draws room. The money rules (limits,
 * rake, redraws) are the house's and cannot be chosen; anything unknown is ignored, anything out of range refused.
 */
export const drawRoomOptionsSchema = z.object({
  mode: z.enum(["private", "quick", "tournament"]).default("private"),
  /**
   * Quick match: the stake the room plays for (both seats must stake exactly this), and what pairs players, so it
   * is a JSON number. Private and tournament: optional, fixes the stake the same way.
   */
  stakeMinor: wholeNumber
    .pipe(
      z.number().int().min(Number(DEFAULT_DRAWS_CONFIG.minStakeMinor)).max(Number(DEFAULT_DRAWS_CONFIG.maxStakeMinor)),
    )
    .optional(),
  /**
   * A joiner's code finds a private challenge; a room created with one was asked for a challenge that does not
   * exist, unless matchmaking issued the code to the challenge's creator (then it also set the tier).
   */
  code: z.string().max(16).optional(),
  /** Set by matchmaking (never by the client): "standard", or the custom settings the room was made with. */
  tier: z.string().max(400).optional(),
  /** Tournament: the two player ids the match is for, seat 0 first. */
  players: z
    .array(z.string().regex(PLAYER_ID))
    .length(2)
    .refine((ids) => ids[0] !== ids[1], { message: "the two players must differ" })
    .optional(),
  /** Odd N for a best-of-N series; open-ended play when absent. */
  bestOf: z.number().int().min(1).max(99).optional(),
  maxRounds: z.number().int().min(1).max(MAX_ROUNDS_PER_MATCH).default(DEFAULT_DRAWS_CONFIG.maxRounds),
  /** How long a seat has to press draw before the room draws for it. */
  drawSeconds: seconds(15, 120),
  /** How long a dropped player's seat is kept. */
  reconnectSeconds: seconds(30, 300),
  /** How often state patches go out; fast bots (tests, load tests) ask for less than the default 50 ms. */
  patchRateMs: z.number().int().min(5).max(1000).default(50),
});

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
