import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import { drawRoomOptionsSchema } from "../../protocol/draws.ts";
import { poolRoomOptionsSchema } from "../../protocol/pool.ts";
import {
  type CreateTournamentInput,
  createTournamentSchema,
  type TournamentDetail,
  type TournamentEntryView,
  type TournamentHistoryItem,
  type TournamentMatchView,
  type TournamentSummary,
} from "../../protocol/tournament.ts";
import { prizeStructureProblem } from "../../simulation/tournament/index.ts";
import type { Db } from "../db/database.ts";
import { tournamentEntries, tournamentMatches, tournaments } from "../db/schema/index.ts";
import { checkPlayerId } from "../wallet/keys.ts";
import { PostgresBracketStorage, type Transaction } from "./bracket-storage.ts";
import { TournamentError, tournamentErrorFrom } from "./errors.ts";
import { PrizePool } from "./prize-pool.ts";

export type TournamentRow = typeof tournaments.$inferSelect;
export type EntryRow = typeof tournamentEntries.$inferSelect;
export type MatchRow = typeof tournamentMatches.$inferSelect;

export interface TournamentSettings {
  /** This process, as the holder of tournament leases and of their prize pools' wallet leases. */
  nodeId: string;
  /** How long a driver's lease lasts without renewal; another node takes over after it. */
  leaseMs: number;
  /**
   * The prize pool's wallet lease: longer than the tournament lease, so another node takes the tournament over
   * (and the pool with it) before wallet recovery would refund a pool whose driver died.
   */
  walletLeaseMs: number;
}

export interface RegisteringPlayer {
  playerId: string;
  displayName: string;
}

const LIST_LIMIT = 50;
const HISTORY_LIMIT = 50;
const PLACEHOLDER_PLAYERS = ["00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"];
const MATCH_STATUS_NAMES = ["locked", "waiting", "ready", "running", "completed", "archived"] as const;

export function prizePoolRoundId(tournamentId: string): string {
  return `tournament:${tournamentId}`;
}

/** The room options a match of this tournament is created with, besides its two players. */
export function matchRoomOptions(t: Pick<TournamentRow, "game" | "bestOf" | "matchOptions">, players: string[]) {
  const o = t.matchOptions;
  if (t.game === "draws") {
    return {
      mode: "tournament",
      players,
      bestOf: t.bestOf,
      ...pick(o, ["reconnectSeconds", "drawSeconds", "patchRateMs", "maxRounds", "stakeMinor"]),
    };
  }
  return {
    mode: "tournament",
    players,
    ...pick(o, [
      "reconnectSeconds",
      "shotClockSeconds",
      "matchSeconds",
      "acceptSeconds",
      "animationScale",
      "patchRateMs",
      "stakeMinor",
    ]),
  };
}

function pick(source: Record<string, number>, keys: string[]): Record<string, number> {
  const picked: Record<string, number> = {};
  for (const key of keys) if (source[key] !== undefined) picked[key] = source[key]!;
  return picked;
}

/**
 * Tournaments as the rest of the server sees them: create, register, unregister, and read. Each change is one
 * transaction that locks the tournament's row first, so registrations, the driver's steps and the money that goes
 * with them are serialised per tournament. The driver (driver.ts) runs the lifecycle.
 */
export class TournamentService {
  readonly db: Db;
  readonly settings: TournamentSettings;

  constructor(db: Db, settings: TournamentSettings) {
    this.db = db;
    this.settings = settings;
  }

  async create(input: unknown, options: { recurringKey?: string; now?: Date } = {}): Promise<TournamentSummary> {
    const parsed = createTournamentSchema.safeParse(input);
    if (!parsed.success) {
      throw new TournamentError(
        "BAD_REQUEST",
        parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; "),
      );
    }
    const spec = parsed.data;
    checkSpec(spec);
    const now = options.now ?? new Date();
    const id = `t-${randomBytes(8).toString("hex")}`;
    const opensAt = spec.registrationOpensAt ? new Date(spec.registrationOpensAt) : now;
    const roundId = prizePoolRoundId(id);
    const inserted = await this.db.transaction(async (tx) => {
      const rows = await tx
        .insert(tournaments)
        .values({
          id,
          name: spec.name,
          game: spec.game,
          format: spec.format,
          bestOf: spec.game === "draws" ? spec.bestOf : 1,
          entryFeeMinor: BigInt(spec.entryFeeMinor),
          rakeBps: spec.rakeBps,
          seatsMin: spec.seatsMin,
          seatsMax: spec.seatsMax,
          prizeBps: spec.prizeBps,
          registrationOpensAt: opensAt,
          startsAt: spec.startsAt ? new Date(spec.startsAt) : null,
          startWhenFull: spec.startWhenFull,
          matchOptions: spec.matchOptions as Record<string, number>,
          noShowMs: Math.round(spec.noShowSeconds * 1000),
          matchCapMs: Math.round(spec.matchCapSeconds * 1000),
          status: opensAt.getTime() <= now.getTime() ? "registering" : "scheduled",
          recurringKey: options.recurringKey ?? null,
          walletRoundId: roundId,
        })
        .onConflictDoNothing()
        .returning();
      if (!rows[0]) return undefined;
      await new PrizePool(tx, roundId).open(spec.game, this.settings.nodeId, this.settings.walletLeaseMs);
      return rows[0];
    });
    if (!inserted) throw new TournamentError("BUSY", "a tournament of this template is already open");
    return this.summaryOf(inserted, 0, 0n);
  }

  /** Pays the entry fee into the prize pool and takes a seat, or refuses with nothing changed. */
  async register(tournamentId: string, player: RegisteringPlayer, now = new Date()): Promise<TournamentSummary> {
    const playerId = checkPlayer(player.playerId);
    try {
      await this.db.transaction(async (tx) => {
        const t = await lockTournament(tx, tournamentId);
        if (t.status === "scheduled" && t.registrationOpensAt.getTime() <= now.getTime()) {
          // The driver opens registration on its next tick; a player who is there first need not wait for it.
          await tx.update(tournaments).set({ status: "registering" }).where(eq(tournaments.id, t.id));
          t.status = "registering";
        }
        if (t.status === "scheduled") {
          throw new TournamentError(
            "REGISTRATION_NOT_OPEN",
            `registration opens at ${t.registrationOpensAt.toISOString()}`,
          );
        }
        if (t.status !== "registering" || (t.startsAt !== null && t.startsAt.getTime() <= now.getTime())) {
          throw new TournamentError("REGISTRATION_CLOSED", `registration is closed: the tournament is ${t.status}`);
        }
        const entries = await tx.select().from(tournamentEntries).where(eq(tournamentEntries.tournamentId, t.id));
        const existing = entries.find((entry) => entry.playerId === playerId);
        if (existing?.status === "registered") {
          throw new TournamentError("ALREADY_REGISTERED", "this player is already registered");
        }
        const registered = entries.filter((entry) => entry.status === "registered").length;
        if (registered >= t.seatsMax) {
          throw new TournamentError("TOURNAMENT_FULL", `all ${t.seatsMax} seats are taken`);
        }
        const registrations = (existing?.registrations ?? 0) + 1;
        await tx
          .insert(tournamentEntries)
          .values({
            tournamentId: t.id,
            playerId,
            displayName: player.displayName,
            status: "registered",
            registrations,
            registeredAt: now,
          })
          .onConflictDoUpdate({
            target: [tournamentEntries.tournamentId, tournamentEntries.playerId],
            set: { status: "registered", registrations, displayName: player.displayName, registeredAt: now },
          });
        await new PrizePool(tx, t.walletRoundId).payEntryFee(
          `${t.walletRoundId}:entry:${playerId}:${registrations}`,
          playerId,
          t.entryFeeMinor,
        );
        await bumpVersion(tx, t.id);
      });
    } catch (error) {
      throw tournamentErrorFrom(error);
    }
    return this.summary(tournamentId);
  }

  /** Gives the seat back and refunds the entry fee, before the start only. */
  async unregister(tournamentId: string, playerIdInput: string): Promise<TournamentSummary> {
    const playerId = checkPlayer(playerIdInput);
    try {
      await this.db.transaction(async (tx) => {
        const t = await lockTournament(tx, tournamentId);
        if (t.status === "running" || t.status === "finished") {
          throw new TournamentError("ALREADY_STARTED", "the tournament has started: entries are final");
        }
        if (t.status === "cancelled") throw new TournamentError("REGISTRATION_CLOSED", "the tournament was cancelled");
        const [entry] = await tx
          .select()
          .from(tournamentEntries)
          .where(and(eq(tournamentEntries.tournamentId, t.id), eq(tournamentEntries.playerId, playerId)));
        if (entry?.status !== "registered")
          throw new TournamentError("NOT_REGISTERED", "this player is not registered");
        await tx
          .update(tournamentEntries)
          .set({ status: "unregistered" })
          .where(and(eq(tournamentEntries.tournamentId, t.id), eq(tournamentEntries.playerId, playerId)));
        await new PrizePool(tx, t.walletRoundId).refundEntry(
          `${t.walletRoundId}:withdraw:${playerId}:${entry.registrations}`,
          playerId,
        );
        await bumpVersion(tx, t.id);
      });
    } catch (error) {
      throw tournamentErrorFrom(error);
    }
    return this.summary(tournamentId);
  }

  async summary(tournamentId: string): Promise<TournamentSummary> {
    const [t] = await this.db.select().from(tournaments).where(eq(tournaments.id, tournamentId));
    if (!t) throw new TournamentError("NOT_FOUND", "no such tournament");
    const [counts] = await this.countEntries([t.id]);
    return this.summaryOf(t, counts?.registered ?? 0, await this.poolMinor(t));
  }

  /** The tournament's change counter: what a viewer polls before reading the whole tournament again. */
  async version(tournamentId: string): Promise<number | undefined> {
    const [row] = await this.db
      .select({ version: tournaments.version })
      .from(tournaments)
      .where(eq(tournaments.id, tournamentId));
    return row?.version;
  }

  async list(filter: "open" | "running" | "finished" | "cancelled"): Promise<TournamentSummary[]> {
    const statuses =
      filter === "open" ? (["scheduled", "registering"] as const) : ([filter] as const satisfies readonly string[]);
    const rows = await this.db
      .select()
      .from(tournaments)
      .where(inArray(tournaments.status, [...statuses]))
      .orderBy(filter === "open" ? asc(tournaments.createdAt) : desc(tournaments.createdAt))
      .limit(LIST_LIMIT);
    const counts = new Map((await this.countEntries(rows.map((t) => t.id))).map((c) => [c.tournamentId, c]));
    return Promise.all(
      rows.map(async (t) => this.summaryOf(t, counts.get(t.id)?.registered ?? 0, await this.poolMinor(t))),
    );
  }

  /** The tournament with its entries and its bracket (every match, byes included, as the bracket holds them). */
  async detail(tournamentId: string): Promise<TournamentDetail> {
    const summary = await this.summary(tournamentId);
    const entries = await this.db
      .select()
      .from(tournamentEntries)
      .where(and(eq(tournamentEntries.tournamentId, tournamentId), eq(tournamentEntries.status, "registered")))
      .orderBy(asc(tournamentEntries.registeredAt), asc(tournamentEntries.playerId));
    const matchRows = await this.db
      .select()
      .from(tournamentMatches)
      .where(eq(tournamentMatches.tournamentId, tournamentId));
    const bracket = await new PostgresBracketStorage(this.db, tournamentId).select("match");
    const bySeed = new Map(entries.filter((e) => e.seed !== null).map((e) => [e.seed!, e.playerId]));
    const rounds = new Map<number, number>();
    for (const round of (await new PostgresBracketStorage(this.db, tournamentId).select("round")) ?? []) {
      rounds.set(Number(round.id), Number(round.group_id) > 0 ? -1 : Number(round.number));
    }
    const byMatch = new Map(matchRows.map((m) => [m.matchId, m]));
    const matches: TournamentMatchView[] = (bracket ?? []).map((m) => {
      const row = byMatch.get(Number(m.id));
      const seedOf = (o: { id: unknown } | null) => (o === null ? null : o.id === null ? -1 : Number(o.id));
      const seeds: [number | null, number | null] = [seedOf(m.opponent1), seedOf(m.opponent2)];
      return {
        matchId: Number(m.id),
        // The third-place match (the bracket's consolation group) is shown as round -1.
        round: rounds.get(Number(m.round_id)) ?? 0,
        slot: Number(m.number),
        seeds,
        players: seeds.map((seed) => (seed === null || seed < 0 ? null : (bySeed.get(seed) ?? null))) as [
          string | null,
          string | null,
        ],
        status: MATCH_STATUS_NAMES[Number(m.status)] ?? "locked",
        winnerPlayerId: row?.winnerPlayerId ?? null,
        reason: row?.reason ?? null,
        roomId: row?.status === "live" ? row.roomId : null,
        showDeadline: row?.status === "live" && row.showDeadlineAt ? row.showDeadlineAt.getTime() : null,
      };
    });
    const entryViews: TournamentEntryView[] = entries.map((e) => ({
      playerId: e.playerId,
      displayName: e.displayName,
      seed: e.seed,
      place: e.place,
      prizeMinor: e.prizeMinor === null ? null : e.prizeMinor.toString(),
    }));
    return { ...summary, entries: entryViews, matches };
  }

  async history(playerIdInput: string): Promise<TournamentHistoryItem[]> {
    const playerId = checkPlayer(playerIdInput);
    const rows = await this.db
      .select({ entry: tournamentEntries, t: tournaments })
      .from(tournamentEntries)
      .innerJoin(tournaments, eq(tournaments.id, tournamentEntries.tournamentId))
      .where(and(eq(tournamentEntries.playerId, playerId), eq(tournamentEntries.status, "registered")))
      .orderBy(desc(tournamentEntries.registeredAt))
      .limit(HISTORY_LIMIT);
    return rows.map(({ entry, t }) => ({
      tournamentId: t.id,
      name: t.name,
      game: t.game as TournamentHistoryItem["game"],
      status: t.status,
      entryFeeMinor: t.entryFeeMinor.toString(),
      place: entry.place,
      prizeMinor: entry.prizeMinor === null ? null : entry.prizeMinor.toString(),
      registeredAt: entry.registeredAt.toISOString(),
    }));
  }

  /** The player's live match in this tournament, with their own seat reservation, if one is waiting for them. */
  async liveMatchOf(tournamentId: string, playerIdInput: string): Promise<MatchRow | undefined> {
    const playerId = checkPlayer(playerIdInput);
    const rows = await this.db
      .select()
      .from(tournamentMatches)
      .where(
        and(
          eq(tournamentMatches.tournamentId, tournamentId),
          eq(tournamentMatches.status, "live"),
          sql`(${tournamentMatches.player0Id} = ${playerId}::uuid or ${tournamentMatches.player1Id} = ${playerId}::uuid)`,
        ),
      );
    return rows[0];
  }

  /** The matches of this tournament placed and waiting for (or being played by) their players. */
  async liveMatches(tournamentId: string): Promise<MatchRow[]> {
    return this.db
      .select()
      .from(tournamentMatches)
      .where(and(eq(tournamentMatches.tournamentId, tournamentId), eq(tournamentMatches.status, "live")));
  }

  private async countEntries(ids: string[]): Promise<{ tournamentId: string; registered: number }[]> {
    if (ids.length === 0) return [];
    return this.db
      .select({ tournamentId: tournamentEntries.tournamentId, registered: sql<number>`count(*)::int` })
      .from(tournamentEntries)
      .where(and(inArray(tournamentEntries.tournamentId, ids), eq(tournamentEntries.status, "registered")))
      .groupBy(tournamentEntries.tournamentId);
  }

  private async poolMinor(t: TournamentRow): Promise<bigint> {
    return new PrizePool(this.db, t.walletRoundId).balanceMinor().catch(() => 0n);
  }

  private summaryOf(t: TournamentRow, registered: number, poolMinor: bigint): TournamentSummary {
    return {
      id: t.id,
      name: t.name,
      game: t.game as TournamentSummary["game"],
      format: t.format,
      bestOf: t.bestOf,
      status: t.status,
      entryFeeMinor: t.entryFeeMinor.toString(),
      rakeBps: t.rakeBps,
      seatsMin: t.seatsMin,
      seatsMax: t.seatsMax,
      prizeBps: t.prizeBps,
      registered,
      prizePoolMinor: poolMinor.toString(),
      registrationOpensAt: t.registrationOpensAt.toISOString(),
      startsAt: t.startsAt?.toISOString() ?? null,
      startWhenFull: t.startWhenFull,
      noShowMs: t.noShowMs,
      cancelReason: t.cancelReason,
      startedAt: t.startedAt?.toISOString() ?? null,
      finishedAt: t.finishedAt?.toISOString() ?? null,
      version: t.version,
    };
  }
}

function checkSpec(spec: CreateTournamentInput): void {
  if (spec.seatsMax < spec.seatsMin) throw new TournamentError("BAD_REQUEST", "seatsMax is below seatsMin");
  const problem = prizeStructureProblem(spec.prizeBps, spec.seatsMin);
  if (problem) throw new TournamentError("BAD_PRIZE_STRUCTURE", problem);
  if (!spec.startsAt && !spec.startWhenFull) {
    throw new TournamentError("BAD_REQUEST", "a tournament needs a startsAt, or startWhenFull");
  }
  const opensAt = spec.registrationOpensAt ? Date.parse(spec.registrationOpensAt) : Date.now();
  if (spec.startsAt && Date.parse(spec.startsAt) <= opensAt) {
    throw new TournamentError("BAD_REQUEST", "startsAt must be after registration opens");
  }
  // The rooms publish their options schemas: a tournament whose matches could never be created is refused now.
  const options = matchRoomOptions(
    { game: spec.game, bestOf: spec.bestOf, matchOptions: spec.matchOptions as Record<string, number> },
    PLACEHOLDER_PLAYERS,
  );
  const parsed = (spec.game === "draws" ? drawRoomOptionsSchema : poolRoomOptionsSchema).safeParse(options);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new TournamentError("BAD_REQUEST", `matchOptions: ${detail}`);
  }
}

function checkPlayer(playerId: string): string {
  try {
    return checkPlayerId(playerId);
  } catch {
    throw new TournamentError("BAD_REQUEST", "player id must be a uuid");
  }
}

/** The tournament's row, locked for the rest of the transaction. */
export async function lockTournament(tx: Transaction, tournamentId: string): Promise<TournamentRow> {
  if (typeof tournamentId !== "string" || !/^[a-z0-9-]{1,64}$/.test(tournamentId)) {
    throw new TournamentError("NOT_FOUND", "no such tournament");
  }
  const [t] = await tx.select().from(tournaments).where(eq(tournaments.id, tournamentId)).for("update");
  if (!t) throw new TournamentError("NOT_FOUND", "no such tournament");
  return t;
}

/** Locks the row and reports whether this node's lease on it is live (checked against the database's clock). */
export async function lockLeasedTournament(
  tx: Transaction,
  tournamentId: string,
  nodeId: string,
): Promise<{ t: TournamentRow; mine: boolean }> {
  const [row] = await tx
    .select({
      ...getTableColumns(tournaments),
      mine: sql<boolean>`(${tournaments.leaseOwner} = ${nodeId} and ${tournaments.leaseExpiresAt} > now())`,
    })
    .from(tournaments)
    .where(eq(tournaments.id, tournamentId))
    .for("update");
  if (!row) throw new TournamentError("NOT_FOUND", "no such tournament");
  const { mine, ...t } = row;
  return { t, mine: mine === true };
}

export async function bumpVersion(tx: Transaction, tournamentId: string): Promise<void> {
  await tx
    .update(tournaments)
    .set({ version: sql`${tournaments.version} + 1` })
    .where(eq(tournaments.id, tournamentId));
}
