import { z } from "zod";

/**
 * The matchmaker's wire: the ticket a player queues with, what the queue tells them while they wait, the match they
 * are handed, the regions they measure, and every error code the routes answer with.
 */

export const MATCHMAKER_ERROR_CODES = [
  "BAD_REQUEST",
  "BODY_TOO_LARGE",
  "UNKNOWN_GAME",
  "UNKNOWN_TIER",
  "BAD_BEST_OF",
  "BAD_ROUND_TRIPS",
  "NO_KNOWN_REGION",
  "INSUFFICIENT_FUNDS",
  "ALREADY_QUEUED",
  "NO_TICKET",
  "NOT_YOUR_TICKET",
  "TICKET_CLOSED",
  "RATE_LIMITED",
  "QUEUE_UNAVAILABLE",
] as const;
export type MatchmakerErrorCode = (typeof MATCHMAKER_ERROR_CODES)[number];

export interface MatchmakerError {
  error: MatchmakerErrorCode;
  message: string;
}

/** The games a player can queue for; each has its own stake tiers (GET /regions lists them with their stakes). */
export const QUEUED_GAMES = ["pool", "draws"] as const;
export type QueuedGame = (typeof QUEUED_GAMES)[number];

export const REGION_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** A ticket names at most this many regions; a client measures the ones GET /regions lists. */
export const MAX_TICKET_REGIONS = 32;
/** A round trip above this is not a measurement worth matching on. */
export const MAX_ROUND_TRIP_MS = 10_000;

export const roundTripsSchema = z
  .record(
    z.string().regex(REGION_NAME, "a region name is lowercase letters, digits and dashes"),
    z.number().finite().min(0, "a round trip is not negative").max(MAX_ROUND_TRIP_MS),
  )
  .refine((rtts) => Object.keys(rtts).length >= 1, { message: "measure at least one region" })
  .refine((rtts) => Object.keys(rtts).length <= MAX_TICKET_REGIONS, {
    message: `at most ${MAX_TICKET_REGIONS} regions`,
  });

/** POST /matchmaker/tickets */
export const ticketRequestSchema = z.object({
  game: z.string().max(32),
  tier: z.string().max(32),
  /** Draws only: an odd best-of series; both players of a match asked for the same one. */
  bestOf: z.number().int().min(1).max(99).optional(),
  /** Round trips the client measured to each region's ping endpoint, in milliseconds. */
  rttsMs: roundTripsSchema,
});
export type TicketRequest = z.infer<typeof ticketRequestSchema>;

export const TICKET_STATUSES = ["queued", "matching", "matched", "expired", "cancelled", "dropped"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Where a player stands in the queue, coarsely: the exact rank moves every pass. */
export const POSITION_BANDS = ["1-10", "11-100", "101-1000", "1000+"] as const;
export type PositionBand = (typeof POSITION_BANDS)[number];

/** What `client.consumeSeatReservation` takes: the room and the node that hosts it. */
export const seatReservationSchema = z.object({
  name: z.string(),
  roomId: z.string(),
  processId: z.string(),
  sessionId: z.string(),
  publicAddress: z.string().optional(),
});
export type SeatReservation = z.infer<typeof seatReservationSchema>;

export const ticketMatchSchema = z.object({
  roomId: z.string(),
  roomName: z.string(),
  region: z.string(),
  /** Regions the rule preferred that had no room left, in the order they were passed over. */
  overflowedFrom: z.array(z.string()),
  opponent: z.object({ playerId: z.string(), displayName: z.string() }),
  seatReservation: seatReservationSchema,
  /** The seat reservation lapses after this (epoch ms): connect before it. */
  connectBy: z.number(),
});
export type TicketMatch = z.infer<typeof ticketMatchSchema>;

/** GET /matchmaker/ticket, and the answer to POST and DELETE. */
export const ticketViewSchema = z.object({
  ticketId: z.string(),
  game: z.enum(QUEUED_GAMES),
  tier: z.string(),
  bestOf: z.number().nullable(),
  stakeMinor: z.string(),
  status: z.enum(TICKET_STATUSES),
  queuedAt: z.number(),
  expiresAt: z.number(),
  waitedMs: z.number(),
  positionBand: z.enum(POSITION_BANDS).nullable(),
  match: ticketMatchSchema.nullable(),
  /** Why a ticket was dropped or requeued. */
  reason: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type TicketView = z.infer<typeof ticketViewSchema>;

/** GET /regions */
export const regionsViewSchema = z.object({
  regions: z.array(
    z.object({
      region: z.string(),
      /** A URL to time (GET answers 204 at once); measured from the client, it gives the round trip to send. */
      pingUrl: z.string(),
      nodes: z.number(),
      hasCapacity: z.boolean(),
    }),
  ),
  games: z.array(
    z.object({
      game: z.enum(QUEUED_GAMES),
      tiers: z.array(z.object({ tier: z.string(), stakeMinor: z.string() })),
      bestOf: z.array(z.number()).nullable(),
    }),
  ),
});
export type RegionsView = z.infer<typeof regionsViewSchema>;
