import { z } from "zod";
import {
  DEFAULT_DRAWS_CONFIG,
  type DrawsConfig,
  drawsConfig,
  MAX_ROUNDS_PER_MATCH,
} from "../../simulation/draws/index.ts";

export type DrawRoomMode = "private" | "quick" | "tournament";

const seconds = (fallback: number, max: number) => z.number().min(0.05).max(max).default(fallback);
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
  stakeMinor: z
    .number()
    .int()
    .min(Number(DEFAULT_DRAWS_CONFIG.minStakeMinor))
    .max(Number(DEFAULT_DRAWS_CONFIG.maxStakeMinor))
    .optional(),
  /** Only a joiner sends a code; a room that is created with one was asked for a challenge that does not exist. */
  code: z.string().max(16).optional(),
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
  const parsed = drawRoomOptionsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new RangeError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "));
  }
  const o = parsed.data;
  if (o.code !== undefined) {
    throw new RangeError("NO_SUCH_CHALLENGE: no open challenge has this code");
  }
  if (o.mode === "quick" && o.stakeMinor === undefined) throw new RangeError("stakeMinor: quick match needs a stake");
  if (o.mode === "tournament" && !o.players) throw new RangeError("players: a tournament match names its two players");
  if (o.mode !== "tournament" && o.players) throw new RangeError("players: only a tournament match names players");
  const fixedStakeMinor = o.stakeMinor === undefined ? null : BigInt(o.stakeMinor);
  const config = drawsConfig({
    bestOf: o.bestOf ?? null,
    maxRounds: Math.max(o.maxRounds, o.bestOf ?? 1),
    ...(fixedStakeMinor === null ? {} : { minStakeMinor: fixedStakeMinor, maxStakeMinor: fixedStakeMinor }),
  });
  return {
    mode: o.mode,
    config,
    fixedStakeMinor,
    players: o.players ? [o.players[0]!, o.players[1]!] : null,
    drawMs: o.drawSeconds * 1000,
    reconnectSeconds: o.reconnectSeconds,
    patchRateMs: o.patchRateMs,
  };
}
