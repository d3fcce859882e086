import { z } from "zod";
import { secondsOption, tournamentPlayersSchema, wholeNumber } from "./common.ts";

export const POOL_MODES = ["private", "quick", "tournament"] as const;
export type PoolRoomMode = (typeof POOL_MODES)[number];
/** The house's stake limits for one seat (minor units). */
export const POOL_MIN_STAKE_MINOR = 100;
export const POOL_MAX_STAKE_MINOR = 1_000_000;

/**
 * What a client (or the tournament service) may ask for when it creates a pool room. The money rules (limits, rake)
 * are the house's and cannot be chosen; anything unknown is ignored, anything out of range refused.
 */
export const poolRoomOptionsSchema = z.object({
  mode: z.enum(POOL_MODES).default("private"),
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
  players: tournamentPlayersSchema.optional(),
  table: z.enum(["9ft", "7ft"]).default("9ft"),
  /** A private match for no stake (practice, e.g. against the bot): no money moves. */
  practice: z.boolean().default(false),
  /** Time to take each shot (or make a decision). */
  shotClockSeconds: secondsOption(30, 0.2, 120),
  /** Extensions each player may call on, each adding extensionSeconds to the running shot clock. */
  extensions: z.number().int().min(0).max(5).default(2),
  extensionSeconds: secondsOption(30, 0.2, 120),
  /** Cap on a match from the break: when it runs out the match is decided by the balls pocketed. */
  matchSeconds: secondsOption(1800, 1, 7200),
  /** How long a dropped player's seat is kept before the match is forfeited. */
  reconnectSeconds: secondsOption(30, 0.2, 300),
  /** How long stakes may wait for both acceptances once both seats are taken before the room closes. */
  acceptSeconds: secondsOption(120, 0.2, 600),
  /**
   * The shot-in-progress window after a result is broadcast is the shot's simulated duration times this (1: real
   * time, while clients animate it); fast bots (tests, load tests) ask for less.
   */
  animationScale: z.number().min(0).max(1).default(1),
  patchRateMs: z.number().int().min(5).max(1000).default(50),
});
