// Matchmaker benchmark: one matching pass over one queue of 1k, 10k and 100k tickets in Redis, next to the same pass
// over the same tickets in the in-memory store (what pairing alone costs, with no Redis round trips).
//
//   npm run bench:matchmaker                  (REDIS_URL or redis://127.0.0.1:6379/5)
//   BENCH_SIZES=1000,10000 BENCH_REPEATS=3 npm run bench:matchmaker
//
// A pass is what the lease holder does each interval: read the queue (after its first pass, only what changed in
// it), expire what is due, pair, and claim every pair atomically (Lua, 500 pairs per call). Seating the claimed pairs (balance checks, room creation, seat reservations)
// is not in it: it runs after the pass, a few pairs at a time, and is bounded by room creation, not by the queue.
// The capped columns are passes as production runs them (at most MATCHMAKER_MAX_PAIRS_PER_PASS, 500, pairs claimed):
// the first one reads the whole queue; the next one, after 1 000 more tickets arrive, reads only the changes since
// from the queue's change log, as the lease holder does every pass after its first. The full pass (every pair
// claimed) runs on a store with no copy of the queue, so it reads the whole queue as the first pass does.
// Tickets get ratings ~N(25, 8), round trips to four regions, and waits spread over the last 30 s, generated from
// a fixed seed. The anchor: Nakama's matchmaker runs one pass every 15 s by default.
import { randomUUID } from "node:crypto";
import os from "node:os";
import { Redis } from "ioredis";
import { Matchmaker } from "../../matchmaker/matchmaker.ts";
import { MemoryQueueStore } from "../../matchmaker/memory-store.ts";
import { RedisQueueStore } from "../../matchmaker/redis-store.ts";
import type { NewTicket, QueueStore } from "../../matchmaker/store.ts";
import { DEFAULT_WIDENING } from "../../matchmaker/widening.ts";
import { seededUniform } from "../../simulation/rng/index.ts";
import { createLogger } from "../../src/logging.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379/5";
const SIZES = (process.env.BENCH_SIZES ?? "1000,10000,100000").split(",").map(Number);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const REGIONS = ["ap-south", "eu-west", "us-east", "us-west"];
const QUEUE = "pool:low";
const NAKAMA_INTERVAL_MS = 15_000;
/** MATCHMAKER_MAX_PAIRS_PER_PASS's default. */
const CAPPED_PAIRS = 500;

function tickets(n: number, nowMs: number, seed: number): NewTicket[] {
  const random = seededUniform(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: n }, (_, i) => {
    const home = REGIONS[Math.floor(random() * REGIONS.length)]!;
    const rttsMs = Object.fromEntries(
      REGIONS.map((region) => [region, Math.round(region === home ? 15 + random() * 50 : 90 + random() * 200)]),
    );
    const queuedAtMs = nowMs - Math.round(random() * 30_000);
    return {
      ticketId: randomUUID(),
      playerId: `bench-${seed}-${i}`,
      displayName: `Bench ${i}`,
      queue: QUEUE,
      stakeMinor: 1_000n,
      mu: 25 + 8 * gaussian(),
      rttsMs,
      homeRegion: home,
      queuedAtMs,
      expiresAtMs: queuedAtMs + 120_000,
    };
  });
}

async function fill(store: QueueStore, batch: NewTicket[]) {
  for (let start = 0; start < batch.length; start += 2_000) {
    await Promise.all(batch.slice(start, start + 2_000).map((ticket) => store.enqueue(ticket)));
  }
}

function matchmakerOver(store: QueueStore, maxPairsPerPass: number): Matchmaker {
  return new Matchmaker({
    store,
    lease: { hold: async () => true, release: async () => {} },
    ratings: undefined as never,
    balanceOf: async () => 0n,
    regionsWithCapacity: async () => REGIONS,
    knownRegions: async () => REGIONS,
    logger: createLogger("silent"),
    settings: {
      ticketTtlMs: 120_000,
      leaseMs: 3_000,
      passIntervalMs: 500,
      claimTimeoutMs: 20_000,
      maxPairsPerPass,
      placementConcurrency: 1,
      curve: DEFAULT_WIDENING,
    },
  });
}

async function dropPrefix(redis: Redis, prefix: string) {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 5_000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== "0");
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

const admin = new Redis(REDIS_URL);
console.log(
  `matchmaker pass, one queue, Redis at ${REDIS_URL}; median of ${REPEATS} passes per size, each on a fresh queue`,
);
console.log(
  `${os.cpus().length} cores, load average ${os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(" ")}`,
);
console.log(
  "queued    pairs    redis pass ms (load / pair / claim)    tickets matched/s    pass / 15 s    memory pass ms    redis / memory    capped first pass ms    capped next pass ms (load / pair / claim)",
);
for (const n of SIZES) {
  const redisRuns: { durationMs: number; loadMs: number; pairMs: number; claimMs: number; claimed: number }[] = [];
  const memoryRuns: number[] = [];
  const cappedRuns: number[] = [];
  const nextRuns: { durationMs: number; loadMs: number; pairMs: number; claimMs: number }[] = [];
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const nowMs = Date.now();
    const batch = tickets(n, nowMs, 1 + repeat);
    const prefix = `mmbench:${randomUUID().slice(0, 8)}:`;
    const redisStore = new RedisQueueStore(REDIS_URL, prefix);
    await fill(redisStore, batch);
    // Two passes as production runs them (at most the default 500 pairs claimed), then one that claims every pair.
    const capped = matchmakerOver(redisStore, CAPPED_PAIRS);
    cappedRuns.push((await capped.pass(QUEUE, REGIONS, nowMs)).report.durationMs);
    const refill = (round: number) =>
      fill(
        redisStore,
        batch
          .slice(0, 2 * CAPPED_PAIRS)
          .map((ticket) => ({ ...ticket, ticketId: randomUUID(), playerId: `${ticket.playerId}-again${round}` })),
      );
    await refill(1);
    nextRuns.push((await capped.pass(QUEUE, REGIONS, nowMs)).report);
    await refill(2);
    await redisStore.close();
    const freshStore = new RedisQueueStore(REDIS_URL, prefix);
    const { report } = await matchmakerOver(freshStore, n).pass(QUEUE, REGIONS, nowMs);
    redisRuns.push(report);
    await freshStore.close();
    await dropPrefix(admin, prefix);

    const memoryStore = new MemoryQueueStore();
    await fill(memoryStore, batch);
    memoryRuns.push((await matchmakerOver(memoryStore, n).pass(QUEUE, REGIONS, nowMs)).report.durationMs);
  }
  const pass = median(redisRuns.map((r) => r.durationMs));
  const middle = redisRuns.find((r) => r.durationMs === pass)!;
  const memory = median(memoryRuns);
  const nextPass = median(nextRuns.map((r) => r.durationMs));
  const next = nextRuns.find((r) => r.durationMs === nextPass)!;
  console.log(
    [
      String(n).padStart(6),
      String(middle.claimed).padStart(8),
      `${pass.toFixed(1).padStart(10)} (${middle.loadMs.toFixed(0)} / ${middle.pairMs.toFixed(0)} / ${middle.claimMs.toFixed(0)})`.padEnd(
        38,
      ),
      String(Math.round((2 * middle.claimed) / (pass / 1000))).padStart(19),
      (pass / NAKAMA_INTERVAL_MS).toFixed(4).padStart(14),
      memory.toFixed(1).padStart(17),
      (pass / memory).toFixed(1).padStart(17),
      median(cappedRuns).toFixed(1).padStart(23),
      `${nextPass.toFixed(1).padStart(10)} (${next.loadMs.toFixed(0)} / ${next.pairMs.toFixed(0)} / ${next.claimMs.toFixed(0)})`,
    ].join(" "),
  );
}
admin.disconnect();
