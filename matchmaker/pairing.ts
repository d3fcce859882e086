import { allowance, type WideningCurve } from "./widening.ts";

/** A queued ticket as the matching pass sees it. */
export interface PairingTicket {
  ticketId: string;
  playerId: string;
  /** OpenSkill mu of the player in this game. */
  mu: number;
  queuedAtMs: number;
  expiresAtMs: number;
  /** Queue order: lower goes first (a requeued ticket is put before everyone). */
  order: number;
  rttsMs: Readonly<Record<string, number>>;
  /** The player's nearest region, when the store keeps it (the claim adjusts queue counts by it). */
  homeRegion?: string;
}

export interface Pair {
  a: PairingTicket;
  b: PairingTicket;
  /** The region that minimises the worse of the two round trips, among the regions with capacity. */
  region: string;
  worstRttMs: number;
}

export interface PairingOptions {
  curve: WideningCurve;
  /** Regions that can take a room now; a pair is only made for a region in this list. */
  regions: readonly string[];
  /** How many rating neighbours one ticket looks at before giving up for this pass (bounds a pass at O(n·k)). */
  neighboursPerTicket?: number;
  maxPairs?: number;
}

const DEFAULT_NEIGHBOURS = 32;

/**
 * One matching pass over one queue. Tickets are taken in queue order (the longest waiting first); each is paired
 * with the nearest-rated ticket whose rating gap and best shared round trip are within the waiting ticket's
 * widened tolerance. Neighbours are walked outward in rating order over a linked list, so a taken ticket costs
 * nothing to skip. Pure: the same tickets, time and regions give the same pairs.
 */
export function pairTickets(tickets: readonly PairingTicket[], nowMs: number, options: PairingOptions): Pair[] {
  const regionCount = options.regions.length;
  const n = tickets.length;
  if (regionCount === 0 || n < 2) return [];
  const neighbours = options.neighboursPerTicket ?? DEFAULT_NEIGHBOURS;
  const maxPairs = options.maxPairs ?? Number.POSITIVE_INFINITY;

  // Round trips as one flat array, region-major per ticket; a region a ticket did not measure is unreachable.
  // Hot loops read typed arrays only: the ticket objects are touched once here and once per pair made.
  const regions = [...options.regions];
  const rtts = new Float64Array(n * regionCount);
  const mus = new Float64Array(n);
  const orders = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ticket = tickets[i]!;
    mus[i] = ticket.mu;
    orders[i] = ticket.order;
    const measured = ticket.rttsMs;
    for (let r = 0; r < regionCount; r++) {
      const value = measured[regions[r]!];
      rtts[i * regionCount + r] = value === undefined ? Number.POSITIVE_INFINITY : value;
    }
  }

  // Sorts are stable, so equal keys keep index order and the pass stays deterministic.
  const byRating = Int32Array.from({ length: n }, (_, i) => i).sort((x, y) => mus[x]! - mus[y]!);
  const rankOf = new Int32Array(n);
  for (let rank = 0; rank < n; rank++) rankOf[byRating[rank]!] = rank;
  // Doubly linked list over rating ranks; -1 ends it.
  const prev = new Int32Array(n);
  const next = new Int32Array(n);
  for (let rank = 0; rank < n; rank++) {
    prev[rank] = rank - 1;
    next[rank] = rank + 1 < n ? rank + 1 : -1;
  }
  const taken = new Uint8Array(n);
  const unlink = (rank: number) => {
    const p = prev[rank]!;
    const q = next[rank]!;
    if (p >= 0) next[p] = q;
    if (q >= 0) prev[q] = p;
  };

  const byOrder = Int32Array.from({ length: n }, (_, i) => i).sort((x, y) => orders[x]! - orders[y]!);
  const pairs: Pair[] = [];
  for (const i of byOrder) {
    if (pairs.length >= maxPairs) break;
    if (taken[i]) continue;
    const ticket = tickets[i]!;
    const mu = mus[i]!;
    const waitedMs = nowMs - ticket.queuedAtMs;
    const gapAllowed = allowance(options.curve.ratingGap, waitedMs);
    const rttAllowed = allowance(options.curve.rttMs, waitedMs);
    const rank = rankOf[i]!;
    let left = prev[rank]!;
    let right = next[rank]!;
    let found = -1;
    let foundRegion = -1;
    let foundRtt = 0;
    for (let looked = 0; looked < neighbours && (left >= 0 || right >= 0); looked++) {
      const leftGap = left >= 0 ? mu - mus[byRating[left]!]! : Number.POSITIVE_INFINITY;
      const rightGap = right >= 0 ? mus[byRating[right]!]! - mu : Number.POSITIVE_INFINITY;
      const fromLeft = leftGap <= rightGap;
      if ((fromLeft ? leftGap : rightGap) > gapAllowed) break;
      const candidateRank = fromLeft ? left : right;
      if (fromLeft) left = prev[left]!;
      else right = next[right]!;
      const j = byRating[candidateRank]!;
      if (tickets[j]!.playerId === ticket.playerId) continue;
      let bestRegion = -1;
      let bestRtt = Number.POSITIVE_INFINITY;
      for (let r = 0; r < regionCount; r++) {
        const worst = Math.max(rtts[i * regionCount + r]!, rtts[j * regionCount + r]!);
        if (worst < bestRtt) {
          bestRtt = worst;
          bestRegion = r;
        }
      }
      if (bestRegion >= 0 && bestRtt <= rttAllowed) {
        found = j;
        foundRegion = bestRegion;
        foundRtt = bestRtt;
        break;
      }
    }
    if (found < 0) continue;
    taken[i] = 1;
    taken[found] = 1;
    unlink(rank);
    unlink(rankOf[found]!);
    pairs.push({ a: ticket, b: tickets[found]!, region: regions[foundRegion]!, worstRttMs: foundRtt });
  }
  return pairs;
}
