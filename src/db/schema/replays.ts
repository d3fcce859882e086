import { bigint, index, integer, jsonb, pgTable, smallint, text, timestamp } from "drizzle-orm/pg-core";

/**
 * One finished match's replay: everything needed to play it again (seeds, inputs) and what was broadcast when it
 * was played (each step's settled result, the final table, the winner). `data` holds the replay document
 * (src/replays/format.ts, docs/pool-room.md "Replay format"); the columns beside it are for finding replays.
 */
export const matchReplays = pgTable(
  "match_replays",
  {
    matchId: text("match_id").primaryKey(),
    game: text("game").notNull(),
    /** The wallet round that held the stakes. */
    roundId: text("round_id").notNull(),
    player0Id: text("player0_id").notNull(),
    player1Id: text("player1_id").notNull(),
    stakeMinor: bigint("stake_minor", { mode: "bigint" }).notNull(),
    /** -1 when the match was abandoned by both and refunded. */
    winnerSeat: smallint("winner_seat").notNull(),
    endReason: text("end_reason").notNull(),
    steps: integer("steps").notNull(),
    formatVersion: smallint("format_version").notNull(),
    data: jsonb("data").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("match_replays_finished_at").on(table.finishedAt)],
);
