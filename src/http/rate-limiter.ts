import { Redis } from "ioredis";
import type { RateLimit } from "../config.ts";

export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until the window that refused this request ends (at least 1). */
  retryAfterSeconds: number;
}

/** Fixed-window counters: at most `count` hits per key in each `windowMs` window. */
export interface RateLimiter {
  hit(bucket: string, key: string, limit: RateLimit): Promise<RateDecision>;
  close(): Promise<void>;
}

const MAX_TRACKED_KEYS = 100_000;

function decide(hits: number, limit: RateLimit, remainingMs: number): RateDecision {
  return { allowed: hits <= limit.count, retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)) };
}

/** One node's counters, in memory. */
export class MemoryRateLimiter implements RateLimiter {
  readonly #windows = new Map<string, { hits: number; endsAt: number }>();

  async hit(bucket: string, key: string, limit: RateLimit): Promise<RateDecision> {
    return this.hitNow(bucket, key, limit);
  }

  hitNow(bucket: string, key: string, limit: RateLimit, now = Date.now()): RateDecision {
    const id = `${bucket}:${key}`;
    let window = this.#windows.get(id);
    if (!window || window.endsAt <= now) {
      if (this.#windows.size >= MAX_TRACKED_KEYS) this.#evictExpired(now);
      window = { hits: 0, endsAt: now + limit.windowMs };
      this.#windows.set(id, window);
    }
    window.hits += 1;
    return decide(window.hits, limit, window.endsAt - now);
  }

  #evictExpired(now: number) {
    for (const [id, window] of this.#windows) if (window.endsAt <= now) this.#windows.delete(id);
    // Still full of live windows: start over rather than grow without bound (a flood of fresh keys).
    if (this.#windows.size >= MAX_TRACKED_KEYS) this.#windows.clear();
  }

  async close(): Promise<void> {
    this.#windows.clear();
  }
}

// INCR, and start the window's clock on its first hit; answers [hits, ms left].
const HIT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); left = tonumber(ARGV[1]) end
return {hits, left}
`;

/**
 * Counters shared by every node through Redis. If Redis does not answer, this node's own counters decide, so an
 * outage neither opens the gates nor refuses everyone.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly #redis: Redis;
  readonly #fallback = new MemoryRateLimiter();
  readonly #onError: (error: unknown) => void;
  #lastErrorAt = 0;

  constructor(url: string, onError: (error: unknown) => void) {
    this.#redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    this.#redis.on("error", () => {});
    this.#onError = onError;
  }

  async connect(): Promise<void> {
    await this.#redis.connect().catch((error) => this.#report(error));
  }

  async hit(bucket: string, key: string, limit: RateLimit): Promise<RateDecision> {
    try {
      const [hits, leftMs] = (await this.#redis.eval(
        HIT_SCRIPT,
        1,
        `ratelimit:${bucket}:${key}`,
        String(limit.windowMs),
      )) as [number, number];
      return decide(hits, limit, leftMs);
    } catch (error) {
      this.#report(error);
      return this.#fallback.hitNow(bucket, key, limit);
    }
  }

  #report(error: unknown) {
    // One report a minute is enough to say the shared counters are down.
    if (Date.now() - this.#lastErrorAt < 60_000) return;
    this.#lastErrorAt = Date.now();
    this.#onError(error);
  }

  async close(): Promise<void> {
    this.#redis.disconnect();
    await this.#fallback.close();
  }
}

/**
 * A token bucket for bursts measured in milliseconds (WebSocket messages): `perSecond` sustained, up to twice that
 * at once.
 */
export class TokenBucket {
  #tokens: number;
  #updatedAt: number;
  readonly #perSecond: number;
  readonly #capacity: number;

  constructor(perSecond: number, now = performance.now()) {
    this.#perSecond = perSecond;
    this.#capacity = perSecond * 2;
    this.#tokens = this.#capacity;
    this.#updatedAt = now;
  }

  take(amount = 1, now = performance.now()): boolean {
    this.#tokens = Math.min(this.#capacity, this.#tokens + ((now - this.#updatedAt) / 1000) * this.#perSecond);
    this.#updatedAt = now;
    if (this.#tokens < amount) return false;
    this.#tokens -= amount;
    return true;
  }
}

const MAX_PENALIZED = 100_000;

/**
 * Addresses cut off for flooding, refused new connections and matchmaking for a while: without this a flooder cut
 * off reconnects at once, and the reconnections cost more than the flood did.
 */
export class FloodPenalties {
  readonly #until = new Map<string, number>();
  readonly #penaltyMs: number;

  constructor(penaltyMs: number) {
    this.#penaltyMs = penaltyMs;
  }

  penalize(address: string, now = Date.now()) {
    if (this.#until.size >= MAX_PENALIZED) {
      for (const [key, until] of this.#until) if (until <= now) this.#until.delete(key);
      if (this.#until.size >= MAX_PENALIZED) this.#until.clear();
    }
    this.#until.set(address, now + this.#penaltyMs);
  }

  /** Whole seconds the address must still wait, or 0. */
  retryAfterSeconds(address: string, now = Date.now()): number {
    const until = this.#until.get(address);
    if (until === undefined) return 0;
    if (until <= now) {
      this.#until.delete(address);
      return 0;
    }
    return Math.ceil((until - now) / 1000);
  }
}
