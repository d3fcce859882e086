import { and, eq, isNull, sql } from "drizzle-orm";
import { rate, rating } from "openskill";
import type { Db } from "../src/db/database.ts";
import { playerRatings, ratedMatches } from "../src/db/schema/index.ts";
import type { MatchResult } from "../src/match-results.ts";

export interface PlayerRating {
  mu: number;
  sigma: number;
  matches: number;
}

const INITIAL = rating();

/** Skill per player and game (OpenSkill, Plackett-Luce), in Postgres; updated once per rated match. */
export class Ratings {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async of(playerId: string, game: string): Promise<PlayerRating> {
    const [row] = await this.#db
      .select({ mu: playerRatings.mu, sigma: playerRatings.sigma, matches: playerRatings.matches })
      .from(playerRatings)
      .where(and(eq(playerRatings.playerId, playerId), eq(playerRatings.game, game)));
    return row ?? { mu: INITIAL.mu, sigma: INITIAL.sigma, matches: 0 };
  }

  /** Lists a match the matchmaker made: only listed matches are rated. */
  async registerMatch(matchId: string, game: string, players: readonly [string, string]): Promise<void> {
    await this.#db
      .insert(ratedMatches)
      .values({ matchId, game, player0Id: players[0], player1Id: players[1] })
      .onConflictDoNothing();
  }

  /** Takes back the listing of a match whose seats were never handed out. */
  async unregisterMatch(matchId: string): Promise<void> {
    await this.#db.delete(ratedMatches).where(and(eq(ratedMatches.matchId, matchId), isNull(ratedMatches.ratedAt)));
  }

  /**
   * Rates a finished match once: closes its listing and updates both players' ratings in one transaction. Returns
   * false for a match that is not listed, already rated, has no winner, or names other players.
   */
  async recordResult(result: MatchResult): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      const [match] = await tx
        .update(ratedMatches)
        .set({ ratedAt: sql`now()`, winnerPlayerId: result.winnerPlayerId })
        .where(and(eq(ratedMatches.matchId, result.matchId), isNull(ratedMatches.ratedAt)))
        .returning();
      if (!match || match.game !== result.game) return false;
      const players = [match.player0Id, match.player1Id] as const;
      if (result.winnerPlayerId === null || !players.includes(result.winnerPlayerId)) return false;
      // Rows are locked in one order, so two matches of the same players cannot deadlock.
      const current = new Map<string, PlayerRating>();
      for (const playerId of [...players].sort()) {
        const rows = await tx.execute<{ mu: number; sigma: number; matches: number }>(
          sql`select mu, sigma, matches from player_ratings where player_id = ${playerId} and game = ${match.game} for update`,
        );
        const row = rows.rows[0];
        current.set(
          playerId,
          row
            ? { mu: Number(row.mu), sigma: Number(row.sigma), matches: Number(row.matches) }
            : {
                mu: INITIAL.mu,
                sigma: INITIAL.sigma,
                matches: 0,
              },
        );
      }
      const [a, b] = players.map((playerId) => current.get(playerId)!);
      const winnerIndex = players.indexOf(result.winnerPlayerId);
      const [[nextA], [nextB]] = rate([[a!], [b!]], { rank: winnerIndex === 0 ? [1, 2] : [2, 1] });
      for (const [playerId, next, before] of [
        [players[0], nextA!, a!],
        [players[1], nextB!, b!],
      ] as const) {
        await tx
          .insert(playerRatings)
          .values({ playerId, game: match.game, mu: next.mu, sigma: next.sigma, matches: before.matches + 1 })
          .onConflictDoUpdate({
            target: [playerRatings.playerId, playerRatings.game],
            set: { mu: next.mu, sigma: next.sigma, matches: before.matches + 1, updatedAt: sql`now()` },
          });
      }
      return true;
    });
  }
}
