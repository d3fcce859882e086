// Matchmaker metrics on the process registry. The queue length is read from the shared queue store at scrape time
// and reported by the node that runs each queue's pass, so its sum over pods is the cluster's queue (the Helm HPA
// scales on that sum); the rest count what this node did.

import { Counter, Gauge, Histogram } from "prom-client";
import { registry } from "./metrics.ts";

export interface QueueLengthRow {
  game: string;
  tier: string;
  region: string;
  tickets: number;
}

let queueLengths: (() => Promise<QueueLengthRow[]>) | undefined;

/** The matchmaker tells the gauge where to read queue lengths from (undefined when it stops). */
export function readQueueLengthsFrom(source: (() => Promise<QueueLengthRow[]>) | undefined): void {
  queueLengths = source;
}

new Gauge({
  name: "tablestakes_matchmaker_queue_length",
  help: "Tickets waiting in the matchmaker, by game, stake tier and the player's nearest region (reported by the node running the queue's pass)",
  labelNames: ["game", "tier", "region"] as const,
  registers: [registry],
  async collect() {
    this.reset();
    if (!queueLengths) return;
    const rows = await queueLengths().catch(() => [] as QueueLengthRow[]);
    for (const row of rows) this.inc({ game: row.game, tier: row.tier, region: row.region }, row.tickets);
  },
});

export const matchmakerWait = new Histogram({
  name: "tablestakes_matchmaker_wait_seconds",
  help: "Time from queueing to being matched, by game, stake tier and the player's nearest region",
  labelNames: ["game", "tier", "region"] as const,
  buckets: [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300],
  registers: [registry],
});

export const matchmakerMatches = new Counter({
  name: "tablestakes_matchmaker_matches_total",
  help: "Matches placed by this node's passes, by game, stake tier and the region the room went to",
  labelNames: ["game", "tier", "region"] as const,
  registers: [registry],
});

export const matchmakerExpired = new Counter({
  name: "tablestakes_matchmaker_tickets_expired_total",
  help: "Tickets that waited their whole time without a match, by game and stake tier",
  labelNames: ["game", "tier"] as const,
  registers: [registry],
});

export const matchmakerDropped = new Counter({
  name: "tablestakes_matchmaker_tickets_dropped_total",
  help: "Tickets dropped at seating, by reason",
  labelNames: ["reason"] as const,
  registers: [registry],
});

export const matchmakerPassDuration = new Histogram({
  name: "tablestakes_matchmaker_pass_duration_seconds",
  help: "Wall time of one matching pass over one queue (load, expire, pair, claim)",
  labelNames: ["game", "tier"] as const,
  buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
  registers: [registry],
});
