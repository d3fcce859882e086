import type { TicketMatch } from "../protocol/matchmaker.ts";
import type { PairingTicket } from "./pairing.ts";
import type { CancelOutcome, ClaimRequest, NewTicket, QueueLease, QueueStore, StoredTicket } from "./store.ts";
import { FINISHED_TICKET_RETAIN_MS } from "./store.ts";

interface Entry {
  ticket: StoredTicket;
  order: number;
  claimedAtMs: number;
  forgetAtMs: number;
}

/** The single-node store: the same rules as the Redis one, kept in this process (a restart forgets the queue). */
export class MemoryQueueStore implements QueueStore {
  readonly #tickets = new Map<string, Entry>();
  readonly #latestOf = new Map<string, string>();
  readonly #queued = new Map<string, Set<string>>();
  #sweptAtMs = 0;

  async enqueue(ticket: NewTicket): Promise<{ ok: true } | { ok: false; liveTicketId: string }> {
    this.#sweep();
    const current = this.#latestOf.get(ticket.playerId);
    const live = current ? this.#tickets.get(current) : undefined;
    if (live && (live.ticket.status === "queued" || live.ticket.status === "matching")) {
      return { ok: false, liveTicketId: live.ticket.ticketId };
    }
    const stored: StoredTicket = { ...ticket, status: "queued", claimId: null, match: null, reason: null };
    this.#tickets.set(ticket.ticketId, { ticket: stored, order: ticket.queuedAtMs, claimedAtMs: 0, forgetAtMs: 0 });
    this.#latestOf.set(ticket.playerId, ticket.ticketId);
    this.#queueOf(ticket.queue).add(ticket.ticketId);
    return { ok: true };
  }

  async latestTicketOf(playerId: string): Promise<StoredTicket | undefined> {
    const id = this.#latestOf.get(playerId);
    return id ? this.ticket(id) : undefined;
  }

  async ticket(ticketId: string): Promise<StoredTicket | undefined> {
    const entry = this.#tickets.get(ticketId);
    return entry ? structuredClone(entry.ticket) : undefined;
  }

  async cancel(ticketId: string, playerId: string): Promise<CancelOutcome> {
    const entry = this.#tickets.get(ticketId);
    if (!entry) return "NO_TICKET";
    if (entry.ticket.playerId !== playerId) return "NOT_YOUR_TICKET";
    if (entry.ticket.status !== "queued" && entry.ticket.status !== "matching") return "TICKET_CLOSED";
    this.#queueOf(entry.ticket.queue).delete(ticketId);
    this.#finish(entry, "cancelled");
    entry.ticket.claimId = null;
    return "cancelled";
  }

  async position(ticket: StoredTicket): Promise<number | null> {
    const entry = this.#tickets.get(ticket.ticketId);
    if (entry?.ticket.status !== "queued") return null;
    let ahead = 0;
    for (const id of this.#queueOf(ticket.queue)) if (this.#tickets.get(id)!.order < entry.order) ahead++;
    return ahead;
  }

  async queues(): Promise<string[]> {
    return [...this.#queued.keys()];
  }

  async load(queue: string): Promise<PairingTicket[]> {
    return [...this.#queueOf(queue)].map((id) => {
      const { ticket, order } = this.#tickets.get(id)!;
      return {
        ticketId: id,
        playerId: ticket.playerId,
        mu: ticket.mu,
        queuedAtMs: ticket.queuedAtMs,
        expiresAtMs: ticket.expiresAtMs,
        order,
        rttsMs: ticket.rttsMs,
      };
    });
  }

  forget(): void {}

  async claim(queue: string, pairs: readonly ClaimRequest[], nowMs: number): Promise<boolean[]> {
    const queued = this.#queueOf(queue);
    return pairs.map(({ claimId, a, b }) => {
      if (a === b || !queued.has(a) || !queued.has(b)) return false;
      for (const id of [a, b]) {
        queued.delete(id);
        const entry = this.#tickets.get(id)!;
        entry.ticket.status = "matching";
        entry.ticket.claimId = claimId;
        entry.claimedAtMs = nowMs;
      }
      return true;
    });
  }

  async commit(claimId: string, matches: readonly { ticketId: string; match: TicketMatch }[]): Promise<boolean> {
    const entries = matches.map(({ ticketId }) => this.#tickets.get(ticketId));
    if (entries.some((entry) => entry?.ticket.status !== "matching" || entry.ticket.claimId !== claimId)) return false;
    matches.forEach(({ match }, i) => {
      const entry = entries[i]!;
      entry.ticket.match = match;
      this.#finish(entry, "matched");
    });
    return true;
  }

  async release(
    ticketId: string,
    claimId: string,
    outcome:
      | { requeue: true; reason?: { code: string; message: string } }
      | { drop: { code: string; message: string } },
  ): Promise<boolean> {
    const entry = this.#tickets.get(ticketId);
    if (entry?.ticket.status !== "matching" || entry.ticket.claimId !== claimId) return false;
    if ("drop" in outcome) {
      entry.ticket.reason = outcome.drop;
      entry.ticket.claimId = null;
      this.#finish(entry, "dropped");
    } else {
      if (outcome.reason) entry.ticket.reason = outcome.reason;
      this.#requeueFront(entry);
    }
    return true;
  }

  async expire(queue: string, ticketIds: readonly string[], nowMs: number): Promise<string[]> {
    const queued = this.#queueOf(queue);
    const expired: string[] = [];
    for (const id of ticketIds) {
      const entry = this.#tickets.get(id);
      if (!entry || !queued.has(id) || entry.ticket.expiresAtMs > nowMs) continue;
      queued.delete(id);
      this.#finish(entry, "expired");
      expired.push(id);
    }
    return expired;
  }

  async recoverStaleClaims(queue: string, olderThanMs: number): Promise<number> {
    const before = Date.now() - olderThanMs;
    let recovered = 0;
    for (const entry of this.#tickets.values()) {
      const { ticket } = entry;
      if (ticket.queue !== queue || ticket.status !== "matching" || entry.claimedAtMs > before) continue;
      ticket.reason = { code: "PLACEMENT_LOST", message: "placing your match failed: you are back at the front" };
      this.#requeueFront(entry);
      recovered++;
    }
    return recovered;
  }

  async counts(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const [queue, ids] of this.#queued) {
      for (const id of ids) {
        const key = `${queue}|${this.#tickets.get(id)!.ticket.homeRegion}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    return counts;
  }

  async close(): Promise<void> {}

  lease(): QueueLease {
    return { hold: async () => true, release: async () => {} };
  }

  #queueOf(queue: string): Set<string> {
    let ids = this.#queued.get(queue);
    if (!ids) {
      ids = new Set();
      this.#queued.set(queue, ids);
    }
    return ids;
  }

  #requeueFront(entry: Entry) {
    const queued = this.#queueOf(entry.ticket.queue);
    let first = entry.ticket.queuedAtMs;
    for (const id of queued) first = Math.min(first, this.#tickets.get(id)!.order);
    entry.order = first - 1;
    entry.ticket.status = "queued";
    entry.ticket.claimId = null;
    queued.add(entry.ticket.ticketId);
  }

  #finish(entry: Entry, status: StoredTicket["status"]) {
    entry.ticket.status = status;
    entry.forgetAtMs = Date.now() + FINISHED_TICKET_RETAIN_MS;
  }

  /** Finished tickets are forgotten after the retention time, as Redis expires them. */
  #sweep() {
    const now = Date.now();
    if (now - this.#sweptAtMs < 1_000) return;
    this.#sweptAtMs = now;
    for (const [id, entry] of this.#tickets) {
      if (entry.forgetAtMs === 0 || entry.forgetAtMs > now) continue;
      this.#tickets.delete(id);
      if (this.#latestOf.get(entry.ticket.playerId) === id) this.#latestOf.delete(entry.ticket.playerId);
    }
  }
}
