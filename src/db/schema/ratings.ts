import { doublePrecision, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { players } from "./players.ts";

/** A player's OpenSkill rating in one game: mu is the estimate, sigma its uncertainty. */
export const playerRatings = pgTable(
  "player_ratings",
  {
    playerId: uuid("player_id")
      .notNull()
      .references(() => players.id),
    game: text("game").notNull(),
    mu: doublePrecision("mu").notNull(),
    sigma: doublePrecision("sigma").notNull(),
    matches: integer("matches").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.playerId, table.game] })],
);

/**
 * A match the matchmaker made, so its result is rated exactly once: `rated_at` is set in the same transaction that
 * updates both ratings, and a result for a match not listed here (a private challenge) changes no rating.
 */
export const ratedMatches = pgTable("rated_matches", {
  matchId: text("match_id").primaryKey(),
  game: text("game").notNull(),
  player0Id: uuid("player0_id").notNull(),
  player1Id: uuid("player1_id").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  winnerPlayerId: uuid("winner_player_id"),
  /** null until the result arrives; a match with no winner (refunded) is closed without a rating change. */
  ratedAt: timestamp("rated_at", { withTimezone: true }),
});
