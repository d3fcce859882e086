import { ServerError } from "@colyseus/core";
import { z } from "zod";
import type { TableSize } from "../../simulation/pool/index.ts";
import { normalizeChallengeCode } from "../draws/challenge-code.ts";
import { parseOptions, refuseOptions, tierOf, unusedCode } from "../room-options.ts";

export type PoolRoomMode = "private" | "quick" | "tournament";

/** The house's stake limits for one seat (minor units). */
export const POOL_MIN_STAKE_MINOR = 100;
export const POOL_MAX_STAKE_MINOR = 1_000_000;
/** Rake on the pot in basis points, the house's: POOL_RAKE_BPS in the environment, 500 (5 %) by default. */
export const DEFAULT_POOL_RAKE_BPS = 500;
export const MAX_POOL_RAKE_BPS = 2_000;

const seconds = (fallback: number, min: number, max: number) => z.number().min(min).max(max).default(fallback);
/** A count of minor units, as a JSON number or a string of digits: either way it is matched as a number. */
const wholeNumber = z.preprocess((v) => (typeof v === "string" && /^\d{1,16}$/.test(v) ? Number(v) : v), z.number());
const PLAYER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * What a client (or the tournament service) may ask for when it creates a pool room. The money rules (limits, rake)
 * are the house's and cannot be chosen; anything unknown is ignored, anything out of range refused.
 */
export const poolRoomOptionsSchema = z.object({
  mode: z.enum(["private", "quick", "tournament"]).default("private"),
  /** Each seat's stake; the pot is twice this. What pairs players in quick match, so a JSON number. */
  stakeMinor: wholeNumber.pipe(z.number().int().min(POOL_MIN_STAKE_MINOR).max(POOL_MAX_STAKE_MINOR)).optional(),
  /**
   * A joiner's code finds a private challenge; creating a room with one asks for a challenge that does not exist,
   * unless matchmaking issued the code to the challenge's creator (then it also set the tier).
   */
  code: z.string().max(16).optional(),
  /** Set by matchmaking (never by the client): "standard", or the custom settings the room was made with. */
  tier: z.string().max(400).optional(),
  /** Tournament: the two player ids the match is for. */
  players: z
    .array(z.string().regex(PLAYER_ID))
    .length(2)
    .refine((ids) => ids[0] !== ids[1], { message: "the two players must differ" })
    .optional(),
  table: z.enum(["9ft", "7ft"]).default("9ft"),
  /** A private match for no stake (practice, e.g. against the bot): no money moves. */
  practice: z.boolean().default(false),
  /** Time to take each shot (or make a decision). */
  shotClockSeconds: seconds(30, 0.2, 120),
  /** Extensions each player may call on, each adding extensionSeconds to the running shot clock. */
  extensions: z.number().int().min(0).max(5).default(2),
  extensionSeconds: seconds(30, 0.2, 120),
  /** Cap on a match from the break: when it runs out the match is decided by the balls pocketed. */
  matchSeconds: seconds(1800, 1, 7200),
  /** How long a dropped player's seat is kept before the match is forfeited. */
  reconnectSeconds: seconds(30, 0.2, 300),
  /** How long stakes may wait for both acceptances once both seats are taken before the room closes. */
  acceptSeconds: seconds(120, 0.2, 600),
  /**
   * The shot-in-progress window after a result is broadcast is the shot's simulated duration times this (1: real
   * time, while clients animate it); fast bots (tests, load tests) ask for less.
   */
  animationScale: z.number().min(0).max(1).default(1),
  patchRateMs: z.number().int().min(5).max(1000).default(50),
});

export interface PoolRoomOptions {
  mode: PoolRoomMode;
  tier: string;
  /** The private challenge's code when matchmaking issued it; null when the room picks its own. */
  code: string | null;
  practice: boolean;
  stakeMinor: bigint;
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
}

export function poolRakeBps(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.POOL_RAKE_BPS;
  if (raw === undefined || raw === "") return DEFAULT_POOL_RAKE_BPS;
  const bps = Number(raw);
  if (!Number.isInteger(bps) || bps < 0 || bps > MAX_POOL_RAKE_BPS) {
    throw new RangeError(`POOL_RAKE_BPS must be an integer in 0..${MAX_POOL_RAKE_BPS}`);
  }
  return bps;
}

export function parsePoolRoomOptions(input: unknown): PoolRoomOptions {
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
    rakeBps: poolRakeBps(),
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
  };
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

/** The winner's share of a pot of two stakes, and the house's rake (rounded down). */
export function potSplit(
  stakeMinor: bigint,
  rakeBps: number,
): { potMinor: bigint; rakeMinor: bigint; payoutMinor: bigint } {
  const potMinor = 2n * stakeMinor;
  const rakeMinor = (potMinor * BigInt(rakeBps)) / 10_000n;
  return { potMinor, rakeMinor, payoutMinor: potMinor - rakeMinor };
}
