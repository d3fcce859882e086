import { z } from "zod";
import { DEFAULT_WIDENING, parseWideningLine, type WideningCurve, type WideningLine } from "./widening.ts";

const integer = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const wideningLine = (fallback: WideningLine) =>
  z
    .string()
    .default(`${fallback.start},${fallback.perSecond},${fallback.max}`)
    .transform((text, ctx) => {
      try {
        return parseWideningLine(text);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    });

/** The matchmaker's environment variables, validated with the rest in src/config.ts. */
export const matchmakerEnvShape = {
  /** Prefix of every Redis key and presence channel the matchmaker uses (several clusters can share one Redis). */
  MATCHMAKER_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,40}$/, "must be 1 to 40 of A-Z a-z 0-9 : _ -")
    .default("mm:"),
  MATCHMAKER_TICKET_TTL_S: integer(120, 5, 3600),
  MATCHMAKER_PASS_INTERVAL_MS: integer(500, 50, 60_000),
  MATCHMAKER_LEASE_MS: integer(3_000, 500, 60_000),
  MATCHMAKER_CLAIM_TIMEOUT_MS: integer(20_000, 2_000, 120_000),
  MATCHMAKER_MAX_PAIRS_PER_PASS: integer(500, 1, 100_000),
  /** Rating gap tolerance (OpenSkill mu): start,perSecond,max. */
  MATCHMAKER_RATING_GAP: wideningLine(DEFAULT_WIDENING.ratingGap),
  /** Round-trip tolerance in ms: start,perSecond,max. */
  MATCHMAKER_RTT_MS: wideningLine(DEFAULT_WIDENING.rttMs),
  /** Rooms this node takes before placement sends matches to its region's other nodes, then to the next region. */
  NODE_MAX_ROOMS: integer(1_000, 1, 1_000_000),
};

export interface MatchmakerConfig {
  prefix: string;
  ticketTtlMs: number;
  passIntervalMs: number;
  leaseMs: number;
  claimTimeoutMs: number;
  maxPairsPerPass: number;
  curve: WideningCurve;
  nodeMaxRooms: number;
}

type MatchmakerEnv = {
  [K in keyof typeof matchmakerEnvShape]: z.output<(typeof matchmakerEnvShape)[K]>;
};

export function matchmakerConfig(env: MatchmakerEnv): MatchmakerConfig {
  return {
    prefix: env.MATCHMAKER_PREFIX,
    ticketTtlMs: env.MATCHMAKER_TICKET_TTL_S * 1000,
    passIntervalMs: env.MATCHMAKER_PASS_INTERVAL_MS,
    leaseMs: env.MATCHMAKER_LEASE_MS,
    claimTimeoutMs: env.MATCHMAKER_CLAIM_TIMEOUT_MS,
    maxPairsPerPass: env.MATCHMAKER_MAX_PAIRS_PER_PASS,
    curve: { ratingGap: env.MATCHMAKER_RATING_GAP, rttMs: env.MATCHMAKER_RTT_MS },
    nodeMaxRooms: env.NODE_MAX_ROOMS,
  };
}
