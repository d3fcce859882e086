import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * Tournaments (docs/tournaments.md). The bracket itself is brackets-manager's, stored through its storage interface
 * in tournament_bracket_rows; the rows here are what the bracket does not know: money, entries, match rooms, leases.
 * The entry fees sit in the wallet round `tournament:<id>` (a prize pool) and move only through the ledger functions.
 */

export const TOURNAMENT_STATUSES = ["scheduled", "registering", "running", "finished", "cancelled"] as const;
export type TournamentStatus = (typeof TOURNAMENT_STATUSES)[number];

export const tournaments = pgTable(
  "tournaments",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    game: text("game").notNull(),
    format: text("format").notNull(),
    bestOf: integer("best_of").notNull(),
    entryFeeMinor: bigint("entry_fee_minor", { mode: "bigint" }).notNull(),
    rakeBps: integer("rake_bps").notNull(),
    seatsMin: integer("seats_min").notNull(),
    seatsMax: integer("seats_max").notNull(),
    /** Basis points of the prize pool (after the rake) per place, first place first; they sum to 10,000. */
    prizeBps: jsonb("prize_bps").$type<number[]>().notNull(),
    registrationOpensAt: timestamp("registration_opens_at", { withTimezone: true }).notNull(),
    /** Null: registration stays open until the tournament fills (start when full). */
    startsAt: timestamp("starts_at", { withTimezone: true }),
    startWhenFull: boolean("start_when_full").notNull(),
    /** What each match room is created with besides its mode and players (timers). */
    matchOptions: jsonb("match_options").$type<Record<string, number>>().notNull(),
    noShowMs: integer("no_show_ms").notNull(),
    matchCapMs: integer("match_cap_ms").notNull(),
    status: text("status").$type<TournamentStatus>().notNull(),
    /** The recurring template this tournament was made from, if any. */
    recurringKey: text("recurring_key"),
    walletRoundId: text("wallet_round_id").notNull(),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    /** Bumped by every change a viewer may want to see. */
    version: integer("version").notNull().default(0),
    cancelReason: text("cancel_reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (table) => [
    check(
      "tournaments_status_known",
      sql`${table.status} in ('scheduled', 'registering', 'running', 'finished', 'cancelled')`,
    ),
    check("tournaments_seats", sql`${table.seatsMin} >= 2 and ${table.seatsMax} >= ${table.seatsMin}`),
    check("tournaments_entry_fee_positive", sql`${table.entryFeeMinor} > 0`),
    index("tournaments_status").on(table.status, table.createdAt),
    // One open tournament per recurring template at a time, whichever node creates it.
    uniqueIndex("tournaments_recurring_open")
      .on(table.recurringKey)
      .where(sql`${table.status} in ('scheduled', 'registering') and ${table.recurringKey} is not null`),
  ],
);

export const ENTRY_STATUSES = ["registered", "unregistered"] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export const tournamentEntries = pgTable(
  "tournament_entries",
  {
    tournamentId: text("tournament_id")
      .notNull()
      .references(() => tournaments.id),
    playerId: uuid("player_id").notNull(),
    displayName: text("display_name").notNull(),
    status: text("status").$type<EntryStatus>().notNull(),
    /** How many times this player has registered: each registration's fee has its own idempotency key. */
    registrations: integer("registrations").notNull(),
    /** The bracket's participant id once the tournament has started. */
    seed: integer("seed"),
    place: integer("place"),
    prizeMinor: bigint("prize_minor", { mode: "bigint" }),
    registeredAt: timestamp("registered_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tournamentId, table.playerId] }),
    check("tournament_entries_status_known", sql`${table.status} in ('registered', 'unregistered')`),
    index("tournament_entries_player").on(table.playerId, table.registeredAt),
  ],
);

export const MATCH_STATUSES = ["placing", "live", "finished"] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];

export const tournamentMatches = pgTable(
  "tournament_matches",
  {
    tournamentId: text("tournament_id")
      .notNull()
      .references(() => tournaments.id),
    /** The bracket's match id. */
    matchId: integer("match_id").notNull(),
    round: integer("round").notNull(),
    slot: integer("slot").notNull(),
    player0Id: uuid("player0_id").notNull(),
    player1Id: uuid("player1_id").notNull(),
    status: text("status").$type<MatchStatus>().notNull(),
    /** Each placement of the match (a room that died is placed again) counts one. */
    attempt: integer("attempt").notNull().default(0),
    roomId: text("room_id"),
    /** Per player id: the seat reservation for that player alone. */
    reservations: jsonb("reservations").$type<Record<string, unknown>>(),
    showDeadlineAt: timestamp("show_deadline_at", { withTimezone: true }),
    capDeadlineAt: timestamp("cap_deadline_at", { withTimezone: true }),
    winnerPlayerId: uuid("winner_player_id"),
    reason: text("reason"),
    placedAt: timestamp("placed_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.tournamentId, table.matchId] }),
    check("tournament_matches_status_known", sql`${table.status} in ('placing', 'live', 'finished')`),
    index("tournament_matches_room").on(table.roomId),
  ],
);

/** What a match room reports when its match ends, by room id: written by the room's node, read by the driver's. */
export const tournamentMatchResults = pgTable("tournament_match_results", {
  roomId: text("room_id").primaryKey(),
  winnerPlayerId: text("winner_player_id"),
  reason: text("reason").notNull(),
  reportedAt: timestamp("reported_at", { withTimezone: true }).notNull().defaultNow(),
});

/** brackets-manager's tables (participant, stage, group, round, match, match_game) as JSON rows per tournament. */
export const tournamentBracketRows = pgTable(
  "tournament_bracket_rows",
  {
    tournamentId: text("tournament_id")
      .notNull()
      .references(() => tournaments.id),
    tableName: text("table_name").notNull(),
    id: integer("id").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
  },
  (table) => [primaryKey({ columns: [table.tournamentId, table.tableName, table.id] })],
);
