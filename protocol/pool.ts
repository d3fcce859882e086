import { z } from "zod";
import { clientSeedMessage, emptyMessage, secondsOption, tournamentPlayersSchema, wholeNumber } from "./common.ts";

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

// zod's number() refuses NaN and ±Infinity, which msgpack can carry: such a shot is answered BAD_MESSAGE.
const num = z.number();

/** `shoot`: the cue and, with ball in hand, where the cue ball goes. Ranges are checked by the match (clear codes). */
export const shootSchema = z.object({
  /** Radians from +x (towards the foot rail), counter-clockwise seen from above. */
  directionRad: num,
  /** Cue ball speed just after the strike (m/s). */
  speed: num,
  /** Tip offsets, fractions of the ball's radius (right english and follow positive). */
  side: num.default(0),
  vertical: num.default(0),
  /** Degrees; only 0 (a level cue) is played. */
  elevationDeg: num.default(0),
  /** Rules pocket id 0–5 called for the 8. */
  calledPocket: z.number().int().min(0).max(5).nullable().default(null),
  cueBall: z.object({ x: num, y: num }).nullable().default(null),
});

export const decideSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("acceptTable") }),
  z.object({ kind: z.literal("rerack"), breaker: z.union([z.literal(0), z.literal(1)]) }),
]);

export const POOL_CLIENT_MESSAGES = {
  /** Both seated players accept the stake; the match starts when both have. */
  acceptStake: emptyMessage,
  /** The player's client seed, combined with the other's when the stakes are held. */
  clientSeed: clientSeedMessage,
  shoot: shootSchema,
  decide: decideSchema,
  /** Adds extensionSeconds to the running shot clock of the shooter. */
  extension: emptyMessage,
  concede: emptyMessage,
} as const;
export type PoolClientMessage = keyof typeof POOL_CLIENT_MESSAGES;

const balls = z.array(z.tuple([z.number(), z.number(), z.number()]));

/** Every message a pool room sends; each goes out after the patch that carries the change it announces. */
export const POOL_SERVER_MESSAGES = {
  matchStarted: z.looseObject({
    matchId: z.string(),
    roundId: z.string(),
    players: z.array(z.string()),
    stakeMinor: z.string(),
    breaker: z.number(),
    serverSeedHash: z.string(),
    clientSeed: z.string(),
    rack: z.array(z.number()),
  }),
  /** A shot's animation data (events, keyframes), the settled table [id, x, y] and the ruling. */
  shot: z.looseObject({ shotNumber: z.number(), seat: z.number(), balls, totalTimeS: z.number() }),
  decision: z.looseObject({ seat: z.number(), balls }),
  timeout: z.looseObject({ seat: z.number(), balls }),
  matchOver: z.looseObject({
    matchId: z.string(),
    roundId: z.string(),
    winnerSeat: z.number(),
    winnerPlayerId: z.string().nullable(),
    reason: z.string(),
    potMinor: z.string(),
    rakeMinor: z.string(),
    payoutMinor: z.string(),
    refunded: z.boolean(),
    serverSeed: z.string(),
    serverSeedHash: z.string(),
    clientSeed: z.string(),
  }),
} as const;

export type PoolMatchStarted = z.infer<typeof POOL_SERVER_MESSAGES.matchStarted>;
export type PoolShot = z.infer<typeof POOL_SERVER_MESSAGES.shot>;
export type PoolMatchOver = z.infer<typeof POOL_SERVER_MESSAGES.matchOver>;

/** The room's own refusals and the match engine's (simulation/pool/match.ts), besides COMMON_ERROR_CODES. */
export const POOL_ERROR_CODES = [
  "ACCEPT_TIMEOUT",
  "MATCH_OVER",
  "MATCH_STARTED",
  "NOT_STARTED",
  "NOT_YOUR_TURN",
  "NO_EXTENSIONS",
  "NO_OPPONENT",
  "ROOM_CLOSING",
  "SEEDS_FIXED",
  "SHOT_IN_PROGRESS",
  "STAKE_NOT_HELD",
  "PHYSICS_UNAVAILABLE",
  "NO_SUCH_CHALLENGE",
  "NOT_IN_THIS_MATCH",
  "TOURNAMENT_ONLY",
  "BAD_PLACEMENT",
  "ELEVATION_NOT_SUPPORTED",
  "MISCUE",
  "NOT_BEHIND_HEAD_STRING",
  "NOT_FINITE",
  "NOT_IN_HAND",
  "OFF_TABLE",
  "OVERLAPS_BALL",
  "PLACEMENT_REQUIRED",
  "SPEED_TOO_HIGH",
  "SPEED_TOO_LOW",
  "WRONG_PHASE",
] as const;

export const poolSeatSchema = z.strictObject({
  seat: z.number(),
  playerId: z.string(),
  displayName: z.string(),
  connected: z.boolean(),
  accepted: z.boolean(),
  group: z.string(),
  extensionsLeft: z.number(),
});

export const poolStateSchema = z.strictObject({
  mode: z.string(),
  code: z.string(),
  matchId: z.string(),
  phase: z.string(),
  table: z.string(),
  stakeMinor: z.string(),
  rakeBps: z.number(),
  seats: z.record(z.string(), poolSeatSchema),
  rulesPhase: z.string(),
  rack: z.number(),
  breaker: z.number(),
  shooter: z.number(),
  ballInHand: z.string(),
  mustCallPocket: z.boolean(),
  decisionReason: z.string(),
  rerackBreakers: z.array(z.number()),
  balls: z.array(z.strictObject({ id: z.number(), x: z.number(), y: z.number() })),
  ballsDown: z.array(z.number()),
  shotCount: z.number(),
  shotInProgress: z.boolean(),
  deadline: z.number(),
  matchDeadline: z.number(),
  winnerSeat: z.number(),
  endReason: z.string(),
  serverSeedHash: z.string(),
  clientSeed: z.string(),
  /** Empty until the match is over. */
  serverSeed: z.string(),
});
export type PoolStateView = z.infer<typeof poolStateSchema>;
