import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { tournamentEntries, tournamentMatches, tournamentMatchResults, tournaments } from "../db/schema/index.ts";
import type { Logger } from "../logging.ts";
import type { Transaction } from "./bracket-storage.ts";
import { LeaseLost } from "./errors.ts";
import {
  applyMatchResult,
  cancelTournament,
  enlistReadyMatches,
  type MatchDecision,
  startTournament,
} from "./lifecycle.ts";
import { PrizePool } from "./prize-pool.ts";
import {
  lockLeasedTournament,
  type MatchRow,
  matchRoomOptions,
  type TournamentRow,
  type TournamentService,
} from "./service.ts";

/** What the driver needs from the rooms: create one for a match, see who sits in it, close it. */
export interface MatchRooms {
  place(
    roomName: string,
    options: Record<string, unknown>,
    players: string[],
  ): Promise<{ roomId: string; reservations: Record<string, unknown> }>;
  /** The player ids in the room's seats (null for an empty seat), or "gone" when no node answers for the room. */
  seated(roomId: string): Promise<(string | null)[] | "gone">;
  close(roomId: string): Promise<void>;
}

export interface RecurringTemplate {
  key: string;
  /** A create request (protocol/tournament.ts) without its times: each copy opens at once and starts when full. */
  spec: Record<string, unknown>;
}

export interface DriverOptions {
  tickMs: number;
  /** How often a live match's room is checked for being still there. */
  livenessMs: number;
  /** A match placed this many times without a room surviving is decided for the higher seed. */
  placementsMax: number;
  recurring: RecurringTemplate[];
  logger: Logger;
}

const OPEN_STATUSES = ["scheduled", "registering", "running"] as const;
const CANDIDATES_PER_TICK = 20;
const PASSES_PER_TICK = 4;

/**
 * Runs the tournaments this node holds the lease of, a tick at a time: opens registration, starts or cancels at the
 * start, places ready matches (room + seat reservations), reads match results, forfeits no-shows, replaces rooms
 * that died with their node, and lets the next round start as soon as its players are known. Every node runs one;
 * a tournament is driven by one node at a time, and by another as soon as that one's lease runs out.
 */
export class TournamentDriver {
  readonly service: TournamentService;
  readonly rooms: MatchRooms;
  readonly options: DriverOptions;
  readonly #checkedAt = new Map<string, number>();
  /** Room checks in a row that got no answer, by room id. */
  readonly #misses = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;

  constructor(service: TournamentService, rooms: MatchRooms, options: DriverOptions) {
    this.service = service;
    this.rooms = rooms;
    this.options = options;
  }

  get nodeId(): string {
    return this.service.settings.nodeId;
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(0);
    // Leases are renewed on their own clock: a tick that waits on a slow room (a dead node answers nothing for
    // seconds) must not let them run out under it.
    this.#heartbeat = setInterval(() => void this.renewLeases(), Math.max(50, this.service.settings.leaseMs / 3));
  }

  /** Extends the leases this node holds and has not lost; never takes one back once it has run out. */
  async renewLeases(): Promise<void> {
    await this.service.db
      .update(tournaments)
      .set({ leaseExpiresAt: sql`now() + ${this.service.settings.leaseMs}::integer * interval '1 millisecond'` })
      .where(
        and(
          eq(tournaments.leaseOwner, this.nodeId),
          sql`${tournaments.leaseExpiresAt} > now()`,
          inArray(tournaments.status, [...OPEN_STATUSES]),
        ),
      )
      .catch((error) => this.options.logger.warn({ err: error }, "renewing tournament leases failed"));
  }

  /** Stops ticking and hands this node's leases back, so another node takes over at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearInterval(this.#heartbeat);
    await this.#running;
    await this.service.db
      .update(tournaments)
      .set({ leaseExpiresAt: sql`now()` })
      .where(eq(tournaments.leaseOwner, this.nodeId))
      .catch((error) => this.options.logger.warn({ err: error }, "handing back tournament leases failed"));
  }

  #schedule(delayMs: number) {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.tick()
        .catch((error) => this.options.logger.warn({ err: error }, "tournament tick failed"))
        .finally(() => {
          this.#running = undefined;
          this.#schedule(this.options.tickMs);
        });
    }, delayMs);
  }

  /** One pass over the tournaments this node may drive. */
  async tick(): Promise<void> {
    await this.ensureRecurring();
    const db = this.service.db;
    const candidates = await db
      .select({ id: tournaments.id })
      .from(tournaments)
      .where(
        and(
          inArray(tournaments.status, [...OPEN_STATUSES]),
          or(
            eq(tournaments.leaseOwner, this.nodeId),
            isNull(tournaments.leaseExpiresAt),
            lt(tournaments.leaseExpiresAt, sql`now()`),
          ),
        ),
      )
      .orderBy(tournaments.createdAt)
      .limit(CANDIDATES_PER_TICK);
    for (const { id } of candidates) {
      if (this.#stopped) return;
      try {
        await this.drive(id);
      } catch (error) {
        if (error instanceof LeaseLost) continue;
        this.options.logger.warn({ err: error, tournamentId: id }, "driving a tournament failed");
      }
    }
  }

  /** Keeps one open copy of each recurring template (a sit-and-go that restarts whenever one fills). */
  async ensureRecurring(): Promise<void> {
    for (const template of this.options.recurring) {
      const [open] = await this.service.db
        .select({ id: tournaments.id })
        .from(tournaments)
        .where(
          and(eq(tournaments.recurringKey, template.key), inArray(tournaments.status, ["scheduled", "registering"])),
        );
      if (open) continue;
      await this.service
        .create({ ...template.spec, startWhenFull: true }, { recurringKey: template.key })
        .catch((error) =>
          this.options.logger.debug({ err: error, key: template.key }, "recurring tournament not created"),
        );
    }
  }

  async drive(tournamentId: string): Promise<void> {
    const t = await this.acquire(tournamentId);
    if (!t) return;
    if (t.status === "scheduled" || t.status === "registering") await this.driveRegistration(t);
    else if (t.status === "running") await this.driveMatches(t);
  }

  /** Takes or renews the tournament's lease, and its prize pool's wallet lease with it, in one transaction. */
  async acquire(tournamentId: string): Promise<TournamentRow | undefined> {
    const { leaseMs, walletLeaseMs } = this.service.settings;
    return this.service.db.transaction(async (tx) => {
      const [t] = await tx
        .update(tournaments)
        .set({ leaseOwner: this.nodeId, leaseExpiresAt: sql`now() + ${leaseMs}::integer * interval '1 millisecond'` })
        .where(
          and(
            eq(tournaments.id, tournamentId),
            inArray(tournaments.status, [...OPEN_STATUSES]),
            or(
              eq(tournaments.leaseOwner, this.nodeId),
              isNull(tournaments.leaseExpiresAt),
              lt(tournaments.leaseExpiresAt, sql`now()`),
            ),
          ),
        )
        .returning();
      if (!t) return undefined;
      const pool = new PrizePool(tx, t.walletRoundId);
      if (await pool.holdLease(this.nodeId, walletLeaseMs)) return t;
      // Every node was gone longer than the pool's lease: wallet recovery refunded (or is refunding) the entries.
      if ((await pool.status()) === "refunded") {
        await tx
          .update(tournaments)
          .set({ status: "cancelled", cancelReason: "the prize pool was refunded by recovery", finishedAt: new Date() })
          .where(eq(tournaments.id, t.id));
        this.options.logger.warn({ tournamentId: t.id }, "tournament cancelled: its prize pool was recovered");
      }
      return undefined;
    });
  }

  /** A step of this tournament in one transaction that holds its row and checks this node still has the lease. */
  async leased<T>(tournamentId: string, step: (tx: Transaction, t: TournamentRow) => Promise<T>): Promise<T> {
    return this.service.db.transaction(async (tx) => {
      const { t, mine } = await lockLeasedTournament(tx, tournamentId, this.nodeId);
      if (!mine) throw new LeaseLost(tournamentId);
      return step(tx, t);
    });
  }

  async driveRegistration(current: TournamentRow): Promise<void> {
    const now = Date.now();
    await this.leased(current.id, async (tx, t) => {
      if (t.status === "scheduled") {
        if (t.registrationOpensAt.getTime() > now) return;
        await tx.update(tournaments).set({ status: "registering" }).where(eq(tournaments.id, t.id));
      }
      const [{ registered } = { registered: 0 }] = await tx
        .select({ registered: sql<number>`count(*)::int` })
        .from(tournamentEntries)
        .where(and(eq(tournamentEntries.tournamentId, t.id), eq(tournamentEntries.status, "registered")));
      const due = t.startsAt !== null && t.startsAt.getTime() <= now;
      const full = t.startWhenFull && registered >= t.seatsMax;
      if (!due && !full) return;
      if (registered >= t.seatsMin) {
        await startTournament(tx, t);
        this.options.logger.info({ tournamentId: t.id, players: registered }, "tournament started");
      } else {
        await cancelTournament(tx, t, `${registered} registered at the start, below the minimum of ${t.seatsMin}`);
        this.options.logger.info({ tournamentId: t.id, players: registered }, "tournament cancelled: too few players");
      }
    });
  }

  async driveMatches(t: TournamentRow): Promise<void> {
    for (let pass = 0; pass < PASSES_PER_TICK; pass++) {
      await this.leased(t.id, (tx, locked) => enlistReadyMatches(tx, locked));
      const open = await this.service.db
        .select()
        .from(tournamentMatches)
        .where(and(eq(tournamentMatches.tournamentId, t.id), inArray(tournamentMatches.status, ["placing", "live"])));
      if (open.length === 0) return;
      const roomIds = open.flatMap((m) => (m.status === "live" && m.roomId ? [m.roomId] : []));
      const results = new Map(
        roomIds.length === 0
          ? []
          : (
              await this.service.db
                .select()
                .from(tournamentMatchResults)
                .where(inArray(tournamentMatchResults.roomId, roomIds))
            ).map((r) => [r.roomId, r]),
      );
      let decided = false;
      const now = Date.now();
      const checks: Promise<void>[] = [];
      for (const match of open) {
        if (match.status === "placing") {
          checks.push(this.place(t, match));
          continue;
        }
        const result = results.get(match.roomId!);
        if (result) {
          decided = (await this.fromRoom(t, match, result.winnerPlayerId, result.reason)) || decided;
        } else if (match.showDeadlineAt && match.showDeadlineAt.getTime() <= now) {
          checks.push(this.checkShows(t, match, "noShow"));
        } else if (match.capDeadlineAt && match.capDeadlineAt.getTime() <= now) {
          checks.push(this.checkShows(t, match, "timeCap"));
        } else if (now - (this.#checkedAt.get(match.roomId!) ?? 0) >= this.options.livenessMs) {
          checks.push(this.checkAlive(t, match));
        }
      }
      // Placements and room checks wait on other nodes: run them side by side, each failing on its own.
      for (const outcome of await Promise.allSettled(checks)) {
        if (outcome.status === "rejected" && !(outcome.reason instanceof LeaseLost)) {
          this.options.logger.warn({ err: outcome.reason, tournamentId: t.id }, "a tournament match step failed");
        }
      }
      if (!decided) return;
    }
  }

  /** Creates the match's room and reserves both seats; the match goes live with its no-show deadline. */
  async place(t: TournamentRow, match: MatchRow): Promise<void> {
    if (match.attempt >= this.options.placementsMax) {
      // Every room this match was given died with its node: it is decided rather than retried forever.
      const winnerPlayerId = await this.higherSeed(t, match);
      await this.decide(t, match, { winnerPlayerId, reason: "unplayable", forfeit: false });
      return;
    }
    const players = [match.player0Id, match.player1Id];
    // No capacity anywhere, or a room refusing: nothing changes, and the next tick tries again.
    const placed = await this.rooms.place(t.game, matchRoomOptions(t, players), players);
    const went = await this.leased(t.id, async (tx) => {
      const rows = await tx
        .update(tournamentMatches)
        .set({
          status: "live",
          attempt: match.attempt + 1,
          roomId: placed.roomId,
          reservations: placed.reservations,
          placedAt: new Date(),
          showDeadlineAt: sql`now() + ${t.noShowMs}::integer * interval '1 millisecond'`,
          capDeadlineAt: sql`now() + ${t.matchCapMs}::integer * interval '1 millisecond'`,
        })
        .where(
          and(
            eq(tournamentMatches.tournamentId, t.id),
            eq(tournamentMatches.matchId, match.matchId),
            eq(tournamentMatches.status, "placing"),
            eq(tournamentMatches.attempt, match.attempt),
          ),
        )
        .returning({ matchId: tournamentMatches.matchId });
      if (rows.length > 0) {
        await tx
          .update(tournaments)
          .set({ version: sql`${tournaments.version} + 1` })
          .where(eq(tournaments.id, t.id));
      }
      return rows.length > 0;
    }).catch(() => false);
    // A room nobody will be sent to: closed at once rather than left for its reservations to expire.
    if (!went) await this.rooms.close(placed.roomId).catch(() => {});
    else this.#checkedAt.set(placed.roomId, Date.now());
  }

  /** A result the room reported. */
  async fromRoom(t: TournamentRow, match: MatchRow, winner: string | null, reason: string): Promise<boolean> {
    if (reason === "shutdown") {
      // The room's node shut down mid-match and refunded its stakes: the match is played again.
      await this.replace(t, match);
      return false;
    }
    const players = [match.player0Id, match.player1Id];
    const winnerPlayerId = winner && players.includes(winner) ? winner : await this.higherSeed(t, match);
    const forfeit = reason === "forfeit" || reason === "abandoned";
    return this.decide(t, match, { winnerPlayerId, reason: winner ? reason : `${reason}:higherSeed`, forfeit });
  }

  async decide(t: TournamentRow, match: MatchRow, decision: MatchDecision): Promise<boolean> {
    const applied = await this.leased(t.id, async (tx, locked) => {
      const [current] = await tx
        .select()
        .from(tournamentMatches)
        .where(and(eq(tournamentMatches.tournamentId, t.id), eq(tournamentMatches.matchId, match.matchId)))
        .for("update");
      // Decided meanwhile (the room's own forfeit racing a no-show check), or placed again since: nothing to do.
      if (!current || current.status === "finished" || current.attempt !== match.attempt) return undefined;
      return applyMatchResult(tx, locked, current, decision);
    });
    if (!applied) return false;
    this.options.logger.info({ tournamentId: t.id, matchId: match.matchId, ...decision }, "tournament match decided");
    if (applied.finished) this.options.logger.info({ tournamentId: t.id }, "tournament finished: prizes paid");
    return true;
  }

  /** At the no-show deadline (or the match cap), whoever is not in their seat forfeits. */
  async checkShows(t: TournamentRow, match: MatchRow, reason: "noShow" | "timeCap"): Promise<void> {
    const seated = await this.rooms.seated(match.roomId!);
    if (seated === "gone") return this.whenGone(t, match);
    const present = [match.player0Id, match.player1Id].filter((id) => seated.includes(id));
    if (reason === "noShow" && present.length === 2) {
      await this.leased(t.id, async (tx) => {
        await tx
          .update(tournamentMatches)
          .set({ showDeadlineAt: null })
          .where(
            and(
              eq(tournamentMatches.tournamentId, t.id),
              eq(tournamentMatches.matchId, match.matchId),
              eq(tournamentMatches.attempt, match.attempt),
            ),
          );
      });
      return;
    }
    const winnerPlayerId = present.length === 1 ? present[0]! : await this.higherSeed(t, match);
    await this.decide(t, match, { winnerPlayerId, reason, forfeit: present.length === 1 });
    await this.rooms.close(match.roomId!).catch(() => {});
  }

  async checkAlive(t: TournamentRow, match: MatchRow): Promise<void> {
    const seated = await this.rooms.seated(match.roomId!);
    this.#checkedAt.set(match.roomId!, Date.now());
    if (seated === "gone") await this.whenGone(t, match);
    else this.#misses.delete(match.roomId!);
  }

  /** The room is gone: a result it reported just before going counts; otherwise the match is placed again. */
  async whenGone(t: TournamentRow, match: MatchRow): Promise<void> {
    const [result] = await this.service.db
      .select()
      .from(tournamentMatchResults)
      .where(eq(tournamentMatchResults.roomId, match.roomId!));
    if (result) {
      await this.fromRoom(t, match, result.winnerPlayerId, result.reason);
      return;
    }
    // One unanswered call may be a busy node; two in a row, a room that is gone.
    const misses = (this.#misses.get(match.roomId!) ?? 0) + 1;
    this.#misses.set(match.roomId!, misses);
    if (misses < 2) {
      this.#checkedAt.delete(match.roomId!);
      return;
    }
    this.#misses.delete(match.roomId!);
    this.options.logger.warn({ tournamentId: t.id, matchId: match.matchId, roomId: match.roomId }, "match room lost");
    await this.replace(t, match);
  }

  async replace(t: TournamentRow, match: MatchRow): Promise<void> {
    await this.leased(t.id, async (tx) => {
      await tx
        .update(tournamentMatches)
        .set({ status: "placing", roomId: null, reservations: null, showDeadlineAt: null, capDeadlineAt: null })
        .where(
          and(
            eq(tournamentMatches.tournamentId, t.id),
            eq(tournamentMatches.matchId, match.matchId),
            eq(tournamentMatches.status, "live"),
            eq(tournamentMatches.attempt, match.attempt),
          ),
        );
    });
  }

  /** The lower seed number (registered earlier) of the two. */
  async higherSeed(t: TournamentRow, match: MatchRow): Promise<string> {
    const entries = await this.service.db
      .select({ playerId: tournamentEntries.playerId, seed: tournamentEntries.seed })
      .from(tournamentEntries)
      .where(
        and(
          eq(tournamentEntries.tournamentId, t.id),
          inArray(tournamentEntries.playerId, [match.player0Id, match.player1Id]),
        ),
      );
    entries.sort((a, b) => (a.seed ?? 0) - (b.seed ?? 0));
    return entries[0]?.playerId ?? match.player0Id;
  }
}
