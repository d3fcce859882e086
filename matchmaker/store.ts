import type { TicketMatch, TicketStatus } from "../protocol/matchmaker.ts";
import type { PairingTicket } from "./pairing.ts";

/** A ticket as stored: who, which queue, what the pass matches on, and where it stands. */
export interface StoredTicket {
  ticketId: string;
  playerId: string;
  displayName: string;
  queue: string;
  stakeMinor: bigint;
  mu: number;
  rttsMs: Record<string, number>;
  /** The region with the player's lowest round trip: the queue-length metric's region. */
  homeRegion: string;
  queuedAtMs: number;
  expiresAtMs: number;
  status: TicketStatus;
  /** The claim this ticket is part of while its match is being placed. */
  claimId: string | null;
  match: TicketMatch | null;
  reason: { code: string; message: string } | null;
}

export type NewTicket = Omit<StoredTicket, "status" | "claimId" | "match" | "reason">;

export interface ClaimRequest {
  claimId: string;
  a: string;
  b: string;
  /** Each ticket's nearest region, when known, saving the store a lookup per ticket. */
  homes?: [string, string];
}

export type CancelOutcome = "cancelled" | "NO_TICKET" | "NOT_YOUR_TICKET" | "TICKET_CLOSED";

/**
 * Where tickets live: Redis when the cluster has it (any node takes a ticket, any node's pass matches it, a node's
 * death loses nothing), process memory otherwise. Every state change that two nodes could race on is one atomic
 * step here: queueing (one live ticket per player), claiming a pair, committing or releasing a claim, expiring,
 * cancelling.
 */
export interface QueueStore {
  /** Queues the ticket unless the player already has a live one (queued or being matched), whose id is returned. */
  enqueue(ticket: NewTicket): Promise<{ ok: true } | { ok: false; liveTicketId: string }>;
  /** The player's latest ticket, live or finished (finished ones are kept for a while so the client can read them). */
  latestTicketOf(playerId: string): Promise<StoredTicket | undefined>;
  ticket(ticketId: string): Promise<StoredTicket | undefined>;
  cancel(ticketId: string, playerId: string): Promise<CancelOutcome>;
  /** 0-based place in its queue, or null when the ticket is not queued. */
  position(ticket: StoredTicket): Promise<number | null>;
  queues(): Promise<string[]>;
  /** Every queued ticket of one queue, as the pass needs it (a store may keep a copy between passes). */
  load(queue: string): Promise<PairingTicket[]>;
  /** Drops any copy `load` keeps of the queue: this node no longer runs its pass. */
  forget(queue: string): void;
  /** Claims each pair atomically: both tickets still queued, or neither is touched. One flag per pair. */
  claim(queue: string, pairs: readonly ClaimRequest[], nowMs: number): Promise<boolean[]>;
  /** Marks both tickets of a claim matched, only if both still belong to that claim. */
  commit(claimId: string, matches: readonly { ticketId: string; match: TicketMatch }[]): Promise<boolean>;
  /** Ends a ticket's claim: back to the front of its queue, or dropped with a reason. False if the claim had moved on. */
  release(
    ticketId: string,
    claimId: string,
    outcome:
      | { requeue: true; reason?: { code: string; message: string } }
      | { drop: { code: string; message: string } },
  ): Promise<boolean>;
  /** Expires the given tickets of a queue whose time is up; returns the ids that expired. */
  expire(queue: string, ticketIds: readonly string[], nowMs: number): Promise<string[]>;
  /** Claims older than `olderThanMs` (their placing node died) go back to the front; returns how many. */
  recoverStaleClaims(queue: string, olderThanMs: number): Promise<number>;
  /** Queued tickets by "queue|homeRegion". */
  counts(): Promise<Map<string, number>>;
  close(): Promise<void>;
}

/** Which node runs the pass of a queue: one holder at a time, with a time limit so a dead holder's turn passes on. */
export interface QueueLease {
  /** Takes the lease if free or renews it if held by this node; false when another node holds it. */
  hold(queue: string): Promise<boolean>;
  release(queue: string): Promise<void>;
}

/** How long a finished ticket stays readable, so the player's client learns the outcome. */
export const FINISHED_TICKET_RETAIN_MS = 10 * 60_000;
