import { randomUUID } from "node:crypto";
import { matchMaker } from "@colyseus/core";
import {
  type MatchmakerErrorCode,
  type PositionBand,
  QUEUED_GAMES,
  type QueuedGame,
  type TicketMatch,
  type TicketView,
  ticketRequestSchema,
} from "../protocol/matchmaker.ts";
import type { PlayerIdentity } from "../src/auth/tokens.ts";
import type { Logger } from "../src/logging.ts";
import {
  matchmakerDropped,
  matchmakerExpired,
  matchmakerMatches,
  matchmakerPassDuration,
  matchmakerWait,
} from "../src/metrics/matchmaker-metrics.ts";
import { parseQueueId, QUEUED_GAME_DEFINITIONS, type QueueKey, queueId } from "./games.ts";
import { type Pair, pairTickets } from "./pairing.ts";
import { PlacementError, placeRoom } from "./placement.ts";
import type { Ratings } from "./ratings.ts";
import type { ClaimRequest, QueueLease, QueueStore, StoredTicket } from "./store.ts";
import type { WideningCurve } from "./widening.ts";

/** A client mistake: answered with its code and an HTTP status, and nothing changes. */
export class MatchmakerRefusal extends Error {
  readonly code: MatchmakerErrorCode;
  readonly status: number;
  constructor(code: MatchmakerErrorCode, status: number, message: string) {
    super(message);
    this.name = "MatchmakerRefusal";
    this.code = code;
    this.status = status;
  }
}

export interface MatchmakerSettings {
  ticketTtlMs: number;
  /** The queue lease's lifetime; held leases are renewed three times per lease while this node runs. */
  leaseMs: number;
  passIntervalMs: number;
  /** A claim not placed within this is taken back (its placing node died): longer than any placement. */
  claimTimeoutMs: number;
  maxPairsPerPass: number;
  placementConcurrency: number;
  curve: WideningCurve;
}

export interface MatchmakerDeps {
  store: QueueStore;
  lease: QueueLease;
  ratings: Ratings;
  balanceOf(playerId: string): Promise<bigint>;
  /** Regions that can take a room now (from the nodes' announcements). */
  regionsWithCapacity(): Promise<string[]>;
  /** Every region announced, full or not: a ticket must measure at least one of them. */
  knownRegions(): Promise<string[]>;
  logger: Logger;
  settings: MatchmakerSettings;
}

export interface PassReport {
  queue: string;
  queued: number;
  expired: number;
  paired: number;
  claimed: number;
  durationMs: number;
  /** Where the time went: reading the queue (and expiring), pairing, claiming. */
  loadMs: number;
  pairMs: number;
  claimMs: number;
}

/** Seat reservations last this long (Colyseus' default, which the rooms keep). */
const SEAT_RESERVATION_MS = 15_000;

function band(position: number | null): PositionBand | null {
  if (position === null) return null;
  if (position < 10) return "1-10";
  if (position < 100) return "11-100";
  if (position < 1000) return "101-1000";
  return "1000+";
}

function nearestRegion(rttsMs: Record<string, number>, known: readonly string[]): string {
  let best = "";
  let bestRtt = Number.POSITIVE_INFINITY;
  for (const region of known) {
    const rtt = rttsMs[region];
    if (rtt !== undefined && rtt < bestRtt) {
      bestRtt = rtt;
      best = region;
    }
  }
  return best;
}

/**
 * Tickets in, matches out. Any node takes tickets; each queue's pass runs on the node holding its lease; a pass
 * loads the queue, expires what is due, pairs, claims the pairs atomically, then seats each claimed pair: balances
 * checked again, room placed, seats reserved, both tickets marked matched in one step.
 */
export class Matchmaker {
  readonly #deps: MatchmakerDeps;
  #timer: NodeJS.Timeout | undefined;
  #renewal: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;
  readonly #held = new Set<string>();

  constructor(deps: MatchmakerDeps) {
    this.#deps = deps;
  }

  // ---- tickets ----------------------------------------------------------------------------------------------

  async enqueue(player: PlayerIdentity, body: unknown, nowMs = Date.now()): Promise<TicketView> {
    const parsed = ticketRequestSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = String(issue.path[0] ?? "");
      const code: MatchmakerErrorCode =
        field === "rttsMs" ? "BAD_ROUND_TRIPS" : field === "bestOf" ? "BAD_BEST_OF" : "BAD_REQUEST";
      throw new MatchmakerRefusal(code, 400, `${field || "body"}: ${issue.message}`);
    }
    const request = parsed.data;
    const game = QUEUED_GAMES.find((name) => name === request.game);
    const definition = game ? QUEUED_GAME_DEFINITIONS.get(game) : undefined;
    if (!definition) {
      throw new MatchmakerRefusal("UNKNOWN_GAME", 400, `no queue for game ${JSON.stringify(request.game)}`);
    }
    const stakeMinor = definition.tiers.get(request.tier);
    if (stakeMinor === undefined) {
      throw new MatchmakerRefusal(
        "UNKNOWN_TIER",
        400,
        `${definition.game} has tiers ${[...definition.tiers.keys()].join(", ")}, not ${JSON.stringify(request.tier)}`,
      );
    }
    let bestOf: number | null = null;
    if (definition.bestOf === null) {
      if (request.bestOf !== undefined) throw new MatchmakerRefusal("BAD_BEST_OF", 400, `${game} has no series`);
    } else {
      bestOf = request.bestOf ?? definition.defaultBestOf;
      if (bestOf === null || !definition.bestOf.includes(bestOf)) {
        throw new MatchmakerRefusal("BAD_BEST_OF", 400, `bestOf is one of ${definition.bestOf.join(", ")}`);
      }
    }
    const known = await this.#deps.knownRegions();
    const home = nearestRegion(request.rttsMs, known);
    if (!home) {
      throw new MatchmakerRefusal(
        "NO_KNOWN_REGION",
        400,
        `measure at least one of the regions GET /regions lists (${known.join(", ") || "none is up"})`,
      );
    }
    const balanceMinor = await this.#deps.balanceOf(player.playerId);
    if (balanceMinor < stakeMinor) {
      throw new MatchmakerRefusal(
        "INSUFFICIENT_FUNDS",
        402,
        `a balance of ${balanceMinor} cannot cover the ${request.tier} stake of ${stakeMinor}`,
      );
    }
    const key: QueueKey = { game: definition.game, tier: request.tier, bestOf };
    const { mu } = await this.#deps.ratings.of(player.playerId, definition.game);
    const ticketId = randomUUID();
    const queued = await this.#deps.store.enqueue({
      ticketId,
      playerId: player.playerId,
      displayName: player.displayName,
      queue: queueId(key),
      stakeMinor,
      mu,
      rttsMs: request.rttsMs,
      homeRegion: home,
      queuedAtMs: nowMs,
      expiresAtMs: nowMs + this.#deps.settings.ticketTtlMs,
    });
    if (!queued.ok) {
      throw new MatchmakerRefusal("ALREADY_QUEUED", 409, `you already have a live ticket (${queued.liveTicketId})`);
    }
    return this.view((await this.#deps.store.ticket(ticketId))!);
  }

  /** The player's latest ticket. */
  async current(playerId: string): Promise<TicketView> {
    const ticket = await this.#deps.store.latestTicketOf(playerId);
    if (!ticket)
      throw new MatchmakerRefusal("NO_TICKET", 404, "you have no ticket: queue with POST /matchmaker/tickets");
    return this.view(ticket);
  }

  async cancel(playerId: string, ticketId: string): Promise<TicketView> {
    const outcome = await this.#deps.store.cancel(ticketId, playerId);
    if (outcome === "NO_TICKET") throw new MatchmakerRefusal("NO_TICKET", 404, "no such ticket");
    if (outcome === "NOT_YOUR_TICKET") {
      throw new MatchmakerRefusal("NOT_YOUR_TICKET", 403, "this ticket belongs to another player");
    }
    if (outcome === "TICKET_CLOSED") {
      throw new MatchmakerRefusal(
        "TICKET_CLOSED",
        409,
        "this ticket is no longer queued (matched, expired or cancelled)",
      );
    }
    return this.view((await this.#deps.store.ticket(ticketId))!);
  }

  async view(ticket: StoredTicket, nowMs = Date.now()): Promise<TicketView> {
    const key = parseQueueId(ticket.queue)!;
    const live = ticket.status === "queued" || ticket.status === "matching";
    return {
      ticketId: ticket.ticketId,
      game: key.game,
      tier: key.tier,
      bestOf: key.bestOf,
      stakeMinor: ticket.stakeMinor.toString(),
      status: ticket.status,
      queuedAt: ticket.queuedAtMs,
      expiresAt: ticket.expiresAtMs,
      waitedMs: live ? Math.max(0, nowMs - ticket.queuedAtMs) : 0,
      positionBand: ticket.status === "queued" ? band(await this.#deps.store.position(ticket)) : null,
      match: ticket.match,
      reason: ticket.reason,
    };
  }

  /** The queues whose pass this node runs now. */
  heldQueues(): ReadonlySet<string> {
    return this.#held;
  }

  // ---- the pass -----------------------------------------------------------------------------------------------

  start(): void {
    this.#stopped = false;
    const tick = () => {
      if (this.#stopped) return;
      this.#running = this.passAll()
        .then(() => {})
        .catch((error) => this.#deps.logger.warn({ err: error }, "matchmaker pass failed"))
        .finally(() => {
          this.#running = undefined;
          if (!this.#stopped) this.#timer = setTimeout(tick, this.#deps.settings.passIntervalMs);
        });
    };
    this.#timer = setTimeout(tick, 0);
    // Seating a large pass can outlast a lease: renewing apart from the passes keeps the queue on this node.
    this.#renewal = setInterval(() => {
      for (const queue of this.#held) {
        void this.#deps.lease
          .hold(queue)
          .then((held) => {
            if (!held) this.#lost(queue);
          })
          .catch(() => {});
      }
    }, this.#deps.settings.leaseMs / 3);
    this.#renewal.unref();
  }

  /** Stops passing and hands every held lease back, so another node takes the queues at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearInterval(this.#renewal);
    await this.#running;
    await Promise.all([...this.#held].map((queue) => this.#deps.lease.release(queue).catch(() => {})));
    for (const queue of this.#held) this.#deps.store.forget(queue);
    this.#held.clear();
  }

  #lost(queue: string) {
    if (this.#held.delete(queue)) this.#deps.store.forget(queue);
  }

  /** One round: for each queue whose lease this node holds (or takes), one pass and the seating of its pairs. */
  async passAll(): Promise<PassReport[]> {
    const queues = await this.#deps.store.queues();
    const reports: PassReport[] = [];
    let regions: string[] | undefined;
    for (const queue of queues) {
      if (!parseQueueId(queue)) continue;
      if (!(await this.#deps.lease.hold(queue))) {
        this.#lost(queue);
        continue;
      }
      this.#held.add(queue);
      regions ??= await this.#deps.regionsWithCapacity();
      const { report, claimed } = await this.pass(queue, regions);
      reports.push(report);
      await this.seatAll(queue, claimed);
    }
    return reports;
  }

  /** Load, expire, pair, claim: the part that must be fast (the benchmark times it). Returns the claimed pairs. */
  async pass(
    queue: string,
    regions: readonly string[],
    nowMs = Date.now(),
  ): Promise<{ report: PassReport; claimed: { pair: Pair; claimId: string }[] }> {
    const started = performance.now();
    const { store, settings } = this.#deps;
    const key = parseQueueId(queue)!;
    await store.recoverStaleClaims(queue, settings.claimTimeoutMs);
    const tickets = await store.load(queue);
    const due = tickets.filter((ticket) => ticket.expiresAtMs <= nowMs);
    const expired =
      due.length > 0
        ? await store.expire(
            queue,
            due.map((ticket) => ticket.ticketId),
            nowMs,
          )
        : [];
    if (expired.length > 0) matchmakerExpired.inc({ game: key.game, tier: key.tier }, expired.length);
    const live = due.length > 0 ? tickets.filter((ticket) => ticket.expiresAtMs > nowMs) : tickets;
    const loaded = performance.now();
    const pairs = pairTickets(live, nowMs, { curve: settings.curve, regions, maxPairs: settings.maxPairsPerPass });
    const requests: ClaimRequest[] = pairs.map((pair) => ({
      claimId: randomUUID(),
      a: pair.a.ticketId,
      b: pair.b.ticketId,
      homes: pair.a.homeRegion && pair.b.homeRegion ? [pair.a.homeRegion, pair.b.homeRegion] : undefined,
    }));
    const paired = performance.now();
    const flags = requests.length > 0 ? await store.claim(queue, requests, nowMs) : [];
    const claimed = pairs.flatMap((pair, i) => (flags[i] ? [{ pair, claimId: requests[i]!.claimId }] : []));
    const durationMs = performance.now() - started;
    matchmakerPassDuration.observe({ game: key.game, tier: key.tier }, durationMs / 1000);
    return {
      report: {
        queue,
        queued: tickets.length,
        expired: expired.length,
        paired: pairs.length,
        claimed: claimed.length,
        durationMs,
        loadMs: loaded - started,
        pairMs: paired - loaded,
        claimMs: performance.now() - paired,
      },
      claimed,
    };
  }

  async seatAll(queue: string, claimed: readonly { pair: Pair; claimId: string }[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < claimed.length) {
        const { pair, claimId } = claimed[next++]!;
        await this.seat(queue, pair, claimId).catch((error) => {
          this.#deps.logger.error({ err: error, queue }, "seating a match failed");
          return this.#requeue([pair.a.ticketId, pair.b.ticketId], claimId, {
            code: "PLACEMENT_FAILED",
            message: "your match could not be placed: you are back at the front of the queue",
          });
        });
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(this.#deps.settings.placementConcurrency, claimed.length) }, worker),
    );
  }

  /** Balances checked again, room placed, seats reserved, both tickets matched at once (or neither). */
  async seat(queue: string, pair: Pair, claimId: string): Promise<boolean> {
    const { store, ratings } = this.#deps;
    const key = parseQueueId(queue)!;
    const definition = QUEUED_GAME_DEFINITIONS.get(key.game as QueuedGame)!;
    const tickets = await Promise.all([store.ticket(pair.a.ticketId), store.ticket(pair.b.ticketId)]);
    const stillClaimed = tickets.map((t) => t?.status === "matching" && t.claimId === claimId);
    if (!stillClaimed[0] || !stillClaimed[1]) {
      // One player cancelled while the pair was claimed: the other goes back to the front.
      const keep = tickets.filter((t, i): t is StoredTicket => stillClaimed[i] === true);
      await this.#requeue(
        keep.map((t) => t.ticketId),
        claimId,
        { code: "OPPONENT_LEFT", message: "your opponent left the queue: you are back at the front" },
      );
      return false;
    }
    const [a, b] = tickets as [StoredTicket, StoredTicket];
    const covered = await Promise.all(
      [a, b].map(async (t) => (await this.#deps.balanceOf(t.playerId)) >= t.stakeMinor),
    );
    if (!covered[0] || !covered[1]) {
      for (const [i, t] of [a, b].entries()) {
        if (covered[i]) {
          await store.release(t.ticketId, claimId, {
            requeue: true,
            reason: {
              code: "OPPONENT_DROPPED",
              message: "your opponent could not cover the stake: you are back at the front",
            },
          });
        } else {
          matchmakerDropped.inc({ reason: "INSUFFICIENT_FUNDS" });
          await store.release(t.ticketId, claimId, {
            drop: {
              code: "INSUFFICIENT_FUNDS",
              message: `your balance no longer covers the stake of ${t.stakeMinor}: queue again at a lower tier`,
            },
          });
        }
      }
      return false;
    }
    const players: [string, string] = [a.playerId, b.playerId];
    let placed: Awaited<ReturnType<typeof placeRoom>>;
    try {
      placed = await placeRoom(definition.roomName, definition.roomOptions(players, a.stakeMinor, key.bestOf), [
        { playerId: a.playerId, rttsMs: a.rttsMs, displayName: a.displayName },
        { playerId: b.playerId, rttsMs: b.rttsMs, displayName: b.displayName },
      ]);
    } catch (error) {
      if (!(error instanceof PlacementError)) throw error;
      await this.#requeue([a.ticketId, b.ticketId], claimId, {
        code: error.code,
        message: `${error.message}: you are back at the front of the queue`,
      });
      return false;
    }
    await ratings.registerMatch(placed.room.roomId, key.game, players);
    const connectBy = Date.now() + SEAT_RESERVATION_MS;
    const matchFor = (self: StoredTicket, other: StoredTicket): TicketMatch => ({
      roomId: placed.room.roomId,
      roomName: definition.roomName,
      region: placed.region,
      overflowedFrom: placed.overflowedFrom,
      opponent: { playerId: other.playerId, displayName: other.displayName },
      seatReservation: placed.reservations.find((seat) => seat.playerId === self.playerId)!.reservation,
      connectBy,
    });
    const committed = await store.commit(claimId, [
      { ticketId: a.ticketId, match: matchFor(a, b) },
      { ticketId: b.ticketId, match: matchFor(b, a) },
    ]);
    if (!committed) {
      // The claim moved on (a cancel, or a node that thought this one dead): this room is nobody's.
      await ratings.unregisterMatch(placed.room.roomId);
      await matchMaker.remoteRoomCall(placed.room.roomId, "disconnect").catch(() => {});
      await this.#requeue([a.ticketId, b.ticketId], claimId, {
        code: "OPPONENT_LEFT",
        message: "your opponent left the queue: you are back at the front",
      });
      return false;
    }
    const now = Date.now();
    matchmakerMatches.inc({ game: key.game, tier: key.tier, region: placed.region });
    for (const t of [a, b]) {
      matchmakerWait.observe({ game: key.game, tier: key.tier, region: t.homeRegion }, (now - t.queuedAtMs) / 1000);
    }
    return true;
  }

  async #requeue(ticketIds: readonly string[], claimId: string, reason: { code: string; message: string }) {
    for (const ticketId of ticketIds) await this.#deps.store.release(ticketId, claimId, { requeue: true, reason });
  }
}
