import { eq } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { matchReplays } from "../db/schema/index.ts";
import { type PoolReplay, REPLAY_FORMAT_VERSION } from "./format.ts";

const MATCH_ID = /^[A-Za-z0-9_:-]{1,80}$/;

export function isMatchId(value: string): boolean {
  return MATCH_ID.test(value);
}

/** Stores a finished match's replay once; storing the same match again changes nothing. */
export async function saveReplay(db: Db, replay: PoolReplay): Promise<void> {
  await db
    .insert(matchReplays)
    .values({
      matchId: replay.matchId,
      game: replay.game,
      roundId: replay.roundId,
      player0Id: replay.players[0],
      player1Id: replay.players[1],
      stakeMinor: BigInt(replay.stakeMinor),
      winnerSeat: replay.final.winnerSeat,
      endReason: replay.final.reason,
      steps: replay.steps.length,
      formatVersion: REPLAY_FORMAT_VERSION,
      data: replay,
      startedAt: new Date(replay.startedAt),
      finishedAt: new Date(replay.finishedAt),
    })
    .onConflictDoNothing();
}

export async function loadReplay(db: Db, matchId: string): Promise<PoolReplay | null> {
  if (!isMatchId(matchId)) return null;
  const [row] = await db
    .select({ data: matchReplays.data })
    .from(matchReplays)
    .where(eq(matchReplays.matchId, matchId));
  return row ? (row.data as PoolReplay) : null;
}
