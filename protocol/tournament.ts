import { z } from "zod";

/** The wire of tournaments: HTTP bodies and answers, and the TournamentRoom's messages (docs/tournaments.md). */

export const TOURNAMENT_GAMES = ["draws", "pool"] as const;
export type TournamentGame = (typeof TOURNAMENT_GAMES)[number];
export const TOURNAMENT_FORMATS = ["single_elimination"] as const;
export const TOURNAMENT_STATUS_VALUES = ["scheduled", "registering", "running", "finished", "cancelled"] as const;
export type TournamentStatusValue = (typeof TOURNAMENT_STATUS_VALUES)[number];
/** What the list route filters by: open takes scheduled and registering together. */
export const TOURNAMENT_LIST_FILTERS = ["open", "running", "finished", "cancelled"] as const;

export const TOURNAMENT_SEATS_MAX = 64;
export const PRIZE_PLACES_MAX = 16;
export const BPS_TOTAL = 10_000;
export const TOURNAMENT_RAKE_BPS_MAX = 2_000;

export const TOURNAMENT_ERROR_CODES = [
  "BAD_REQUEST",
  "BAD_PRIZE_STRUCTURE",
  "NOT_FOUND",
  "REGISTRATION_NOT_OPEN",
  "REGISTRATION_CLOSED",
  "TOURNAMENT_FULL",
  "ALREADY_REGISTERED",
  "NOT_REGISTERED",
  "ALREADY_STARTED",
  "INSUFFICIENT_FUNDS",
  "WALLET_NOT_FOUND",
  "RATE_LIMITED",
  "BUSY",
] as const;
export type TournamentErrorCode = (typeof TOURNAMENT_ERROR_CODES)[number];

const amountMinor = z.union([
  z.string().regex(/^[1-9]\d{0,15}$/, "a whole number of minor units"),
  z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
]);

/** Timers of the match rooms; the rooms check their own ranges again. */
export const matchOptionsSchema = z
  .object({
    reconnectSeconds: z.number().min(0.05).max(300).optional(),
    drawSeconds: z.number().min(0.05).max(120).optional(),
    patchRateMs: z.number().int().min(5).max(1000).optional(),
    maxRounds: z.number().int().min(1).max(10_000).optional(),
    shotClockSeconds: z.number().min(0.2).max(120).optional(),
    matchSeconds: z.number().min(1).max(7200).optional(),
    acceptSeconds: z.number().min(0.2).max(600).optional(),
    animationScale: z.number().min(0).max(1).optional(),
    stakeMinor: z.number().int().min(100).max(100_000).optional(),
  })
  .strict();
export type MatchOptions = z.infer<typeof matchOptionsSchema>;

export const createTournamentSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    game: z.enum(TOURNAMENT_GAMES),
    format: z.enum(TOURNAMENT_FORMATS).default("single_elimination"),
    /** Draws: each match is a best-of-N series (odd). Pool: one frame. */
    bestOf: z
      .number()
      .int()
      .min(1)
      .max(99)
      .refine((n) => n % 2 === 1, "bestOf must be odd")
      .default(1),
    entryFeeMinor: amountMinor,
    rakeBps: z.number().int().min(0).max(TOURNAMENT_RAKE_BPS_MAX).default(0),
    seatsMin: z.number().int().min(2).max(TOURNAMENT_SEATS_MAX),
    seatsMax: z.number().int().min(2).max(TOURNAMENT_SEATS_MAX),
    prizeBps: z.array(z.number().int().min(0).max(BPS_TOTAL)).min(1).max(PRIZE_PLACES_MAX),
    /** ISO time; now when omitted. */
    registrationOpensAt: z.iso.datetime({ offset: true }).optional(),
    /** ISO time of the start; omitted with startWhenFull for a sit-and-go. */
    startsAt: z.iso.datetime({ offset: true }).optional(),
    startWhenFull: z.boolean().default(false),
    matchOptions: matchOptionsSchema.default({}),
    /**
     * How long a player has to take their seat once a match is placed. A seat reservation lasts 15 s (Colyseus'
     * default), so a longer window only waits longer for a player who can no longer sit down.
     */
    noShowSeconds: z.number().min(0.5).max(60).default(15),
    /** A match not decided by then is decided by the tournament (docs/tournaments.md). */
    matchCapSeconds: z
      .number()
      .min(5)
      .max(4 * 3600)
      .default(3600),
  })
  .strict();
export type CreateTournamentRequest = z.input<typeof createTournamentSchema>;
export type CreateTournamentInput = z.output<typeof createTournamentSchema>;

export interface TournamentSummary {
  id: string;
  name: string;
  game: TournamentGame;
  format: string;
  bestOf: number;
  status: TournamentStatusValue;
  entryFeeMinor: string;
  rakeBps: number;
  seatsMin: number;
  seatsMax: number;
  prizeBps: number[];
  registered: number;
  prizePoolMinor: string;
  registrationOpensAt: string;
  startsAt: string | null;
  startWhenFull: boolean;
  noShowMs: number;
  cancelReason: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  version: number;
}

export interface TournamentEntryView {
  playerId: string;
  displayName: string;
  seed: number | null;
  place: number | null;
  prizeMinor: string | null;
}

export interface TournamentMatchView {
  matchId: number;
  round: number;
  slot: number;
  /** Participant seeds (bracket ids), null for a bye, -1 while not yet known. */
  seeds: [number | null, number | null];
  players: [string | null, string | null];
  status: "locked" | "waiting" | "ready" | "running" | "completed" | "archived";
  winnerPlayerId: string | null;
  reason: string | null;
  roomId: string | null;
  showDeadline: number | null;
}

export interface TournamentDetail extends TournamentSummary {
  entries: TournamentEntryView[];
  matches: TournamentMatchView[];
}

export interface TournamentHistoryItem {
  tournamentId: string;
  name: string;
  game: TournamentGame;
  status: TournamentStatusValue;
  entryFeeMinor: string;
  place: number | null;
  prizeMinor: string | null;
  registeredAt: string;
}

/** TournamentRoom: join options. */
export const tournamentJoinSchema = z.object({ tournamentId: z.string().regex(/^[a-z0-9-]{1,64}$/) });

/** TournamentRoom: client -> server. */
export const tournamentClientMessages = {
  /** Pays the entry fee and takes a place (answered by the state's `players`, or an `error`). */
  register: z.object({}).strict(),
  /** Gives the place back with the fee, before the start. */
  unregister: z.object({}).strict(),
} as const;
export const TOURNAMENT_CLIENT_MESSAGES = tournamentClientMessages;

/** TournamentRoom: server -> one player: their next match, with the seat reservation only they receive. */
export const yourMatchMessageSchema = z.strictObject({
  tournamentId: z.string(),
  matchId: z.number(),
  round: z.number(),
  attempt: z.number(),
  roomName: z.enum(TOURNAMENT_GAMES),
  roomId: z.string(),
  opponentPlayerId: z.string(),
  /** Ms since the epoch by which the seat must be taken; missing it forfeits. */
  showDeadline: z.number(),
  /** The seat reservation, for the SDK's `consumeSeatReservation`. */
  reservation: z.unknown(),
});
export type YourMatchMessage = z.infer<typeof yourMatchMessageSchema>;

export const TOURNAMENT_SERVER_MESSAGES = { yourMatch: yourMatchMessageSchema } as const;

const tournamentPlayerStateSchema = z.strictObject({
  playerId: z.string(),
  displayName: z.string(),
  /** The bracket's seed, -1 until the start. */
  seed: z.number(),
  /** The final place, 0 until decided. */
  place: z.number(),
  prizeMinor: z.string(),
});

const tournamentMatchStateSchema = z.strictObject({
  matchId: z.number(),
  /** -1: the third-place match. */
  round: z.number(),
  slot: z.number(),
  player0: z.string(),
  player1: z.string(),
  /** True where the slot is a bye. */
  bye0: z.boolean(),
  bye1: z.boolean(),
  status: z.string(),
  winner: z.string(),
  reason: z.string(),
  /** Ms since the epoch by which both players must be seated. */
  showDeadline: z.number(),
});

/** The lobby of one tournament, public to everyone in it; seat reservations are never in it. */
export const tournamentStateSchema = z.strictObject({
  tournamentId: z.string(),
  name: z.string(),
  game: z.string(),
  status: z.string(),
  entryFeeMinor: z.string(),
  prizePoolMinor: z.string(),
  seatsMin: z.number(),
  seatsMax: z.number(),
  registered: z.number(),
  /** Ms since the epoch of the start, 0 for start when full. */
  startsAt: z.number(),
  version: z.number(),
  players: z.array(tournamentPlayerStateSchema),
  matches: z.array(tournamentMatchStateSchema),
});
export type TournamentStateView = z.infer<typeof tournamentStateSchema>;

export interface TournamentErrorMessage {
  type: string;
  code: TournamentErrorCode;
  message: string;
}
