import { BracketsManager } from "brackets-manager";
import type { Match } from "brackets-model";
import { and, asc, eq } from "drizzle-orm";
import { type Finisher, splitPrizePool } from "../../simulation/tournament/index.ts";
import { tournamentEntries, tournamentMatches, tournaments } from "../db/schema/index.ts";
import { PostgresBracketStorage, type Transaction } from "./bracket-storage.ts";
import { PrizePool } from "./prize-pool.ts";
import { bumpVersion, type MatchRow, type TournamentRow } from "./service.ts";

/**
 * The steps of a tournament's life, each inside the driver's transaction (which holds the tournament's row and
 * lease): start (the bracket), cancel (every entry back), a match's result (the bracket advances), and the end (the
 * prizes). Bracket rows, match rows, entries and ledger transfers of a step commit together or not at all.
 */

/** brackets-model's Status: 2 = both opponents known, 4 and 5 = decided. */
const BRACKET_READY = 2;
const BRACKET_DECIDED = 4;
const STAGE_ID = 0;

export function bracketSize(entries: number): number {
  let size = 2;
  while (size < entries) size *= 2;
  return size;
}

function managerFor(
  tx: Transaction,
  tournamentId: string,
): { manager: BracketsManager; storage: PostgresBracketStorage } {
  const storage = new PostgresBracketStorage(tx, tournamentId);
  return { manager: new BracketsManager(storage), storage };
}

async function registeredEntries(tx: Transaction, tournamentId: string) {
  return tx
    .select()
    .from(tournamentEntries)
    .where(and(eq(tournamentEntries.tournamentId, tournamentId), eq(tournamentEntries.status, "registered")))
    .orderBy(asc(tournamentEntries.registeredAt), asc(tournamentEntries.playerId));
}

/**
 * Builds the bracket: players seeded in registration order, padded with byes to a power of two, the byes placed by
 * brackets-manager's standard (inner-outer) seeding, so the first seeds get them; a third-place match from four
 * players up, so that places 1 to 4 are distinct.
 */
export async function startTournament(tx: Transaction, t: TournamentRow): Promise<void> {
  const entries = await registeredEntries(tx, t.id);
  const { manager, storage } = managerFor(tx, t.id);
  await manager.create.stage({
    tournamentId: 0,
    name: t.name,
    type: "single_elimination",
    seeding: entries.map((entry) => entry.playerId),
    settings: {
      seedOrdering: ["inner_outer"],
      size: bracketSize(entries.length),
      consolationFinal: entries.length >= 4,
      balanceByes: false,
    },
  });
  const participants = (await storage.select("participant")) ?? [];
  for (const participant of participants) {
    await tx
      .update(tournamentEntries)
      .set({ seed: Number(participant.id) })
      .where(and(eq(tournamentEntries.tournamentId, t.id), eq(tournamentEntries.playerId, String(participant.name))));
  }
  await tx.update(tournaments).set({ status: "running", startedAt: new Date() }).where(eq(tournaments.id, t.id));
  await bumpVersion(tx, t.id);
}

/** Every entry back to its player, the pool closed as refunded. */
export async function cancelTournament(tx: Transaction, t: TournamentRow, reason: string): Promise<void> {
  const pool = new PrizePool(tx, t.walletRoundId);
  if ((await pool.status()) === "open") await pool.refundAll(`${t.walletRoundId}:cancel`);
  await tx
    .update(tournaments)
    .set({ status: "cancelled", cancelReason: reason, finishedAt: new Date(), leaseOwner: null })
    .where(eq(tournaments.id, t.id));
  await bumpVersion(tx, t.id);
}

/** Bracket matches whose two players are known and that have no match row yet get one, waiting to be placed. */
export async function enlistReadyMatches(tx: Transaction, t: TournamentRow): Promise<number> {
  const { storage } = managerFor(tx, t.id);
  const ready = ((await storage.select("match", { status: BRACKET_READY })) ?? []) as Match[];
  if (ready.length === 0) return 0;
  const known = new Set(
    (
      await tx
        .select({ matchId: tournamentMatches.matchId })
        .from(tournamentMatches)
        .where(eq(tournamentMatches.tournamentId, t.id))
    ).map((row) => row.matchId),
  );
  const entries = await registeredEntries(tx, t.id);
  const playerOfSeed = new Map(entries.map((entry) => [entry.seed, entry.playerId]));
  const rounds = new Map(((await storage.select("round")) ?? []).map((round) => [Number(round.id), round]));
  let added = 0;
  for (const match of ready) {
    if (known.has(Number(match.id))) continue;
    const player0 = playerOfSeed.get(Number(match.opponent1?.id));
    const player1 = playerOfSeed.get(Number(match.opponent2?.id));
    if (!player0 || !player1) throw new Error(`bracket match ${match.id} names a participant with no entry`);
    const round = rounds.get(Number(match.round_id));
    await tx.insert(tournamentMatches).values({
      tournamentId: t.id,
      matchId: Number(match.id),
      // The third-place match is played alongside the final.
      round: round && Number(round.group_id) > 0 ? -1 : Number(round?.number ?? 0),
      slot: Number(match.number),
      player0Id: player0,
      player1Id: player1,
      status: "placing",
    });
    added += 1;
  }
  if (added > 0) await bumpVersion(tx, t.id);
  return added;
}

export interface MatchDecision {
  winnerPlayerId: string;
  reason: string;
  /** The loser forfeited (did not show, abandoned): the bracket records a forfeit rather than a result. */
  forfeit: boolean;
}

/** The match's result into the bracket (which advances its winner), then the prizes if that was the last match. */
export async function applyMatchResult(
  tx: Transaction,
  t: TournamentRow,
  match: MatchRow,
  decision: MatchDecision,
): Promise<{ finished: boolean }> {
  const { manager, storage } = managerFor(tx, t.id);
  const winnerFirst = decision.winnerPlayerId === match.player0Id;
  if (!winnerFirst && decision.winnerPlayerId !== match.player1Id) {
    throw new Error(`match ${match.matchId} has no player ${decision.winnerPlayerId}`);
  }
  if (decision.forfeit) {
    await manager.update.match(
      winnerFirst
        ? { id: match.matchId, opponent2: { forfeit: true } }
        : { id: match.matchId, opponent1: { forfeit: true } },
    );
  } else {
    await manager.update.match({
      id: match.matchId,
      opponent1: { result: winnerFirst ? "win" : "loss" },
      opponent2: { result: winnerFirst ? "loss" : "win" },
    });
  }
  await tx
    .update(tournamentMatches)
    .set({
      status: "finished",
      winnerPlayerId: decision.winnerPlayerId,
      reason: decision.reason,
      reservations: null,
      finishedAt: new Date(),
    })
    .where(and(eq(tournamentMatches.tournamentId, t.id), eq(tournamentMatches.matchId, match.matchId)));
  await bumpVersion(tx, t.id);
  const matches = (await storage.select("match")) ?? [];
  if (matches.some((m) => Number(m.status) < BRACKET_DECIDED)) return { finished: false };
  await payPrizes(tx, t, manager);
  return { finished: true };
}

/** Places from the bracket's final standings, prizes by the structure, rake once, the pool left at zero. */
async function payPrizes(tx: Transaction, t: TournamentRow, manager: BracketsManager): Promise<void> {
  const standings = await manager.get.finalStandings(STAGE_ID);
  const finishers: Finisher[] = standings.map((item) => ({
    playerId: String(item.name),
    rank: item.rank,
    seed: Number(item.id),
  }));
  const pool = new PrizePool(tx, t.walletRoundId);
  const poolMinor = await pool.balanceMinor();
  const split = splitPrizePool(poolMinor, t.rakeBps, t.prizeBps, finishers);
  await pool.payPrizes(
    `${t.walletRoundId}:prizes`,
    split.awards
      .filter((award) => award.prizeMinor > 0n)
      .map((a) => ({ playerId: a.playerId, amountMinor: a.prizeMinor })),
    split.rakeMinor,
  );
  for (const award of split.awards) {
    await tx
      .update(tournamentEntries)
      .set({ place: award.place, prizeMinor: award.prizeMinor })
      .where(and(eq(tournamentEntries.tournamentId, t.id), eq(tournamentEntries.playerId, award.playerId)));
  }
  await tx
    .update(tournaments)
    .set({ status: "finished", finishedAt: new Date(), leaseOwner: null })
    .where(eq(tournaments.id, t.id));
}
