import { z } from "zod";
import {
  amountMinorSchema,
  clientSeedMessage,
  emptyMessage,
  revealedSeedSchema,
  seatOfTwo,
  secondsOption,
  tournamentPlayersSchema,
  wholeNumber,
} from "./common.ts";

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

/** Intents act for the sender's own seat; naming the seat is optional and only checked. */
export const DRAWS_CLIENT_MESSAGES = {
  /** Offers a stake; a matching offer from the other seat holds both. */
  stake: z.object({ stakeMinor: amountMinorSchema("stakeMinor", 16), seat: seatOfTwo.optional() }),
  withdrawStake: z.object({ seat: seatOfTwo.optional() }),
  draw: z.object({ seat: seatOfTwo.optional() }),
  /** One click for the next round (a new match once the last one ended), at the stake given or the last one. */
  rematch: z.object({ stakeMinor: amountMinorSchema("stakeMinor", 16).optional() }),
  clientSeed: clientSeedMessage,
  rotateSeed: emptyMessage,
} as const;
export type DrawsClientMessage = keyof typeof DRAWS_CLIENT_MESSAGES;

export const DRAWS_SERVER_MESSAGES = {
  /** The engine's events, bigints as strings (stakesHeld, attemptStarted, cardDrawn, tie, roundResolved, matchOver, …). */
  events: z.array(z.looseObject({ type: z.string() })),
  roundSettled: z.object({
    roundId: z.string().nullable(),
    match: z.number(),
    players: z.array(z.string().nullable()),
    result: z.looseObject({ outcome: z.string() }),
  }),
  seedRevealed: z.object({
    serverSeed: z.string(),
    serverSeedHash: z.string(),
    clientSeed: z.string(),
    nextNonce: z.number(),
  }),
} as const;

/** One attempt of a settled round as `roundSettled` carries it: cards are ids, null where a seat had not drawn. */
export interface DrawsWireAttempt {
  serverSeedHash: string;
  clientSeed: string;
  nonce: number;
  cards: [number | null, number | null];
  /** True where the room drew for the seat after its timer ran out. */
  auto: [boolean, boolean];
}

/** `roundSettled` in full (the schema above checks only its outline); amounts are strings of minor units. */
export interface DrawsRoundSettledMessage {
  roundId: string | null;
  match: number;
  players: [string | null, string | null];
  result: {
    round: number;
    outcome: "win" | "push" | "forfeit";
    winnerSeat: 0 | 1 | null;
    forfeitedBy: 0 | 1 | null;
    stakesHeld: boolean;
    stakeMinor: string;
    attempts: DrawsWireAttempt[];
    settlement: {
      potMinor: string;
      rakeMinor: string;
      seats: { seat: number; stakeMinor: string; payoutMinor: string; netMinor: string }[];
    };
  };
}

/** The room's own refusals and the engine's (simulation/draws), besides COMMON_ERROR_CODES. */
export const DRAWS_ERROR_CODES = [
  "NOT_YOUR_SEAT",
  "NO_OPPONENT",
  "ROOM_CLOSING",
  "MATCH_OVER",
  "NO_STAKE",
  "OPPONENT_CANNOT_COVER",
  "NO_SUCH_CHALLENGE",
  "NOT_IN_THIS_MATCH",
  "TOURNAMENT_ONLY",
  "ALREADY_DRAWN",
  "ALREADY_STAKED",
  "BAD_ACTION",
  "BAD_SEAT",
  "STAKES_DIFFER",
  "STAKE_OUT_OF_RANGE",
  "WRONG_PHASE",
] as const;

export const drawsSeatSchema = z.strictObject({
  seat: z.number(),
  playerId: z.string(),
  displayName: z.string(),
  connected: z.boolean(),
  offerMinor: z.string(),
  wins: z.number(),
  lastNetMinor: z.string(),
});

export type DrawsSeatView = z.infer<typeof drawsSeatSchema>;

export const drawsAttemptSchema = z.strictObject({
  serverSeedHash: z.string(),
  clientSeed: z.string(),
  nonce: z.number(),
  /** Card ids, -1 until drawn; auto: the room drew for the seat when its timer ran out. */
  card0: z.number(),
  card1: z.number(),
  auto0: z.boolean(),
  auto1: z.boolean(),
});

export const drawsStateSchema = z.strictObject({
  mode: z.string(),
  code: z.string(),
  phase: z.string(),
  ready: z.boolean(),
  match: z.number(),
  round: z.number(),
  roundId: z.string(),
  stakeMinor: z.string(),
  minStakeMinor: z.string(),
  maxStakeMinor: z.string(),
  rakeBps: z.number(),
  maxRedraws: z.number(),
  bestOf: z.number(),
  maxRounds: z.number(),
  pushes: z.number(),
  seats: z.record(z.string(), drawsSeatSchema),
  attempts: z.array(drawsAttemptSchema),
  lastOutcome: z.string(),
  lastWinnerSeat: z.number(),
  matchOver: z.boolean(),
  matchWinnerSeat: z.number(),
  matchReason: z.string(),
  deadline: z.number(),
  serverSeedHash: z.string(),
  clientSeed: z.string(),
  nonce: z.number(),
  revealedSeeds: z.array(revealedSeedSchema),
});
export type DrawsStateView = z.infer<typeof drawsStateSchema>;
