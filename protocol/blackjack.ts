import { z } from "zod";
import { amountMinorSchema, clientSeedMessage, emptyMessage, revealedSeedSchema } from "./common.ts";

/** Seats at a blackjack table. */
export const BLACKJACK_SEATS = 7;

export const BLACKJACK_CLIENT_MESSAGES = {
  /** Takes a seat (the first free one when none is named). */
  sit: z.object({
    seat: z
      .number()
      .int()
      .min(0)
      .max(BLACKJACK_SEATS - 1)
      .optional(),
  }),
  standUp: emptyMessage,
  bet: z.object({ amountMinor: amountMinorSchema("amountMinor") }),
  insurance: z.object({ take: z.boolean() }),
  hit: emptyMessage,
  stand: emptyMessage,
  double: emptyMessage,
  split: emptyMessage,
  surrender: emptyMessage,
  /** The player's client seed, combined with the others' at the next rotation. */
  clientSeed: clientSeedMessage,
  /** Asks for the server seed to be revealed (and a new one committed) before the next round. */
  rotateSeed: emptyMessage,
} as const;
export type BlackjackClientMessage = keyof typeof BLACKJACK_CLIENT_MESSAGES;

/** Cards are ids 0..51 (suit * 13 + rank - 1; clubs, diamonds, hearts, spades). */
const card = z.number().int().min(0).max(51);

export const blackjackEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("cardDealt"), to: z.literal("seat"), seat: z.number(), hand: z.number(), card }),
  /** The hole card is dealt face down, without its identity. */
  z.object({ type: z.literal("cardDealt"), to: z.literal("dealer"), faceDown: z.boolean(), card: card.optional() }),
  z.object({ type: z.literal("holeCardRevealed"), card }),
  z.object({ type: z.literal("phaseChanged"), phase: z.string() }),
  z.object({ type: z.literal("turnChanged"), turn: z.object({ seat: z.number(), hand: z.number() }).nullable() }),
  z.object({ type: z.literal("roundSettled"), result: z.unknown() }),
]);
export type BlackjackEvent = z.infer<typeof blackjackEventSchema>;

export const blackjackRoundSettledSchema = z.object({
  roundId: z.string(),
  result: z.object({
    seats: z.array(
      z.looseObject({ seat: z.number(), net: z.string(), totalStaked: z.string(), totalReturned: z.string() }),
    ),
  }),
});
export type BlackjackRoundSettled = z.infer<typeof blackjackRoundSettledSchema>;

/** Every message a table sends; each goes out after the patch that carries the change it announces. */
export const BLACKJACK_SERVER_MESSAGES = {
  events: z.array(blackjackEventSchema),
  roundSettled: blackjackRoundSettledSchema,
  seedRevealed: z.object({
    serverSeed: z.string(),
    serverSeedHash: z.string(),
    clientSeed: z.string(),
    nextNonce: z.number(),
  }),
} as const;

/** The table's own refusals and the engine's (simulation/blackjack), besides COMMON_ERROR_CODES. */
export const BLACKJACK_ERROR_CODES = [
  "ALREADY_SEATED",
  "SEAT_TAKEN",
  "IN_HAND",
  "TABLE_CLOSING",
  "ALREADY_BET",
  "NOT_IN_ROUND",
  "ALREADY_AT_TABLE",
  "NO_SUCH_TABLE",
  "ALREADY_DECIDED",
  "BAD_ACTION",
  "BAD_SEAT",
  "BET_OUT_OF_RANGE",
  "CANNOT_DOUBLE",
  "CANNOT_HIT",
  "CANNOT_SPLIT",
  "CANNOT_SURRENDER",
  "INSURANCE_NOT_OFFERED",
  "NOT_YOUR_TURN",
  "NO_BET",
  "NO_BETS",
  "WRONG_PHASE",
] as const;

const seconds = (fallback: number, max: number) => z.number().min(0.05).max(max).default(fallback);
const minorUnits = z.union([z.string().regex(/^\d{1,15}$/), z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)]);

/** What a client may ask for when it creates a table; anything else is ignored, anything out of range refused. */
export const tableOptionsSchema = z.object({
  /** Set by matchmaking (never by the client): "standard", or the custom settings a private table was made with. */
  tier: z.string().max(400).optional(),
  /** A custom table's code, issued by matchmaking when the table is made; a joiner's code finds the table. */
  code: z.string().max(16).optional(),
  /** A rule preset's name (simulation/blackjack RULE_PRESETS). */
  rules: z.string().max(64).default("strip-6d-s17-das-ls"),
  minBetMinor: minorUnits.optional(),
  maxBetMinor: minorUnits.optional(),
  bettingSeconds: seconds(15, 120),
  insuranceSeconds: seconds(10, 60),
  actionSeconds: seconds(20, 120),
  resultSeconds: seconds(4, 30),
  reconnectSeconds: seconds(30, 300),
  /** How often state patches go out; fast bots (tests, load tests) ask for less than the default 50 ms. */
  patchRateMs: z.number().int().min(5).max(1000).default(50),
  /** Messages a client may send per second before it is disconnected (flood limit); bots playing flat out need more. */
  maxMessagesPerSecond: z.number().int().min(5).max(200).default(20),
});

export const blackjackHandSchema = z.strictObject({
  cards: z.array(z.number()),
  total: z.number(),
  soft: z.boolean(),
  stakeMinor: z.string(),
  doubled: z.boolean(),
  status: z.string(),
});

export const blackjackSeatSchema = z.strictObject({
  seat: z.number(),
  playerId: z.string(),
  displayName: z.string(),
  connected: z.boolean(),
  betMinor: z.string(),
  insurance: z.string(),
  insuranceStakeMinor: z.string(),
  hands: z.array(blackjackHandSchema),
  /** Net result of the last settled round, for display. */
  lastNetMinor: z.string(),
});

/** The table every client sees (nothing at a blackjack table is private to one seat). */
export const blackjackStateSchema = z.strictObject({
  phase: z.string(),
  round: z.number(),
  /** Seats by index "0".."6"; an empty seat has no entry. */
  seats: z.record(z.string(), blackjackSeatSchema),
  dealerCards: z.array(z.number()),
  dealerHiddenCards: z.number(),
  dealerTotal: z.number(),
  turnSeat: z.number(),
  turnHand: z.number(),
  turnActions: z.array(z.string()),
  /** When the current timer runs out (ms since the epoch), or 0 when none runs. */
  deadline: z.number(),
  minBetMinor: z.string(),
  maxBetMinor: z.string(),
  rulesPreset: z.string(),
  /** A custom table's code; empty at a standard table. */
  code: z.string(),
  shoeTotal: z.number(),
  shoeDealt: z.number(),
  serverSeedHash: z.string(),
  clientSeed: z.string(),
  /** The next nonce: the one the next shoe will use. */
  nonce: z.number(),
  revealedSeeds: z.array(revealedSeedSchema),
});
export type BlackjackStateView = z.infer<typeof blackjackStateSchema>;
