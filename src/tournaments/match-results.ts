import type { Db } from "../db/database.ts";
import { tournamentMatchResults } from "../db/schema/index.ts";
import { services } from "../services.ts";

/**
 * A tournament match room's result, written to Postgres by whichever node hosts the room, where the node driving
 * the tournament (any node) reads it. The first report of a room stands.
 */
export async function recordMatchResult(
  db: Db,
  roomId: string,
  winnerPlayerId: string | null,
  reason: string,
): Promise<void> {
  await db.insert(tournamentMatchResults).values({ roomId, winnerPlayerId, reason }).onConflictDoNothing();
}

/** What a match room calls when its tournament match ends; a failure is logged, never thrown into the room. */
export async function reportTournamentMatch(roomId: string, winnerPlayerId: string | null, reason: string) {
  const { database, logger } = services();
  await recordMatchResult(database.db, roomId, winnerPlayerId, reason).catch((error) =>
    logger.error({ err: error, roomId }, "recording a tournament match result failed"),
  );
}
