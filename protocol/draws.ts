import { z } from "zod";
import { secondsOption, tournamentPlayersSchema, wholeNumber } from "./common.ts";

export const DRAWS_MODES = ["private", "quick", "tournament"] as const;
export type DrawRoomMode = (typeof DRAWS_MODES)[number];
/** The house's stake limits for one seat (minor units), as the draws engine's default config has them. */
export const DRAWS_MIN_STAKE_MINOR = 100;
export const DRAWS_MAX_STAKE_MINOR = 100_000;
/** A match's cap on rounds, pushes included (the engine's MAX_ROUNDS_PER_MATCH), and its default. */
export const DRAWS_MAX_ROUNDS = 10_000;
export const DRAWS_DEFAULT_MAX_ROUNDS = 1_000;

/**
 * What a client (or the tournament service) may ask for when it creates a draws room. The money rules (limits,
 * rake, redraws) are the house's and cannot be chosen; anything unknown is ignored, anything out of range refused.
 */
export const drawRoomOptionsSchema = z.object({
  mode: z.enum(DRAWS_MODES).default("private"),
  /**
   * Quick match: the stake the room plays for (both seats must stake exactly this), and what pairs players, so it
   * is a JSON number. Private and tournament: optional, fixes the stake the same way.
   */
  stakeMinor: wholeNumber.pipe(z.number().int().min(DRAWS_MIN_STAKE_MINOR).max(DRAWS_MAX_STAKE_MINOR)).optional(),
  /**
   * A joiner's code finds a private challenge; a room created with one was asked for a challenge that does not
   * exist, unless matchmaking issued the code to the challenge's creator (then it also set the tier).
   */
  code: z.string().max(16).optional(),
  /** Set by matchmaking (never by the client): "standard", or the custom settings the room was made with. */
  tier: z.string().max(400).optional(),
  /** Tournament: the two player ids the match is for, seat 0 first. */
  players: tournamentPlayersSchema.optional(),
  /** Odd N for a best-of-N series; open-ended play when absent. */
  bestOf: z.number().int().min(1).max(99).optional(),
  maxRounds: z.number().int().min(1).max(DRAWS_MAX_ROUNDS).default(DRAWS_DEFAULT_MAX_ROUNDS),
  /** How long a seat has to press draw before the room draws for it. */
  drawSeconds: secondsOption(15, 0.05, 120),
  /** How long a dropped player's seat is kept. */
  reconnectSeconds: secondsOption(30, 0.05, 300),
  /** How often state patches go out; fast bots (tests, load tests) ask for less than the default 50 ms. */
  patchRateMs: z.number().int().min(5).max(1000).default(50),
});
