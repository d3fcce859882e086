import type { NextFunction, Request, Response } from "express";
import { MemoryRateLimiter } from "./rate-limiter.ts";

export interface RateLimitOptions {
  /** Requests allowed per key in each window. */
  limit: number;
  windowMs: number;
  /** Who is counted: the signed-in player when there is one, else the address. */
  keyOf?: (req: Request) => string;
}

/**
 * A per-route limit on top of the request gate's (src/http/request-gate.ts), on this node's counters: 429
 * RATE_LIMITED past it, with Retry-After.
 */
export function rateLimit(options: RateLimitOptions) {
  const counters = new MemoryRateLimiter();
  const limit = { count: options.limit, windowMs: options.windowMs };
  const keyOf = options.keyOf ?? ((req: Request) => req.player?.playerId ?? req.ip ?? "unknown");
  return (req: Request, res: Response, next: NextFunction) => {
    const decision = counters.hitNow("route", keyOf(req), limit);
    if (!decision.allowed) {
      res.setHeader("Retry-After", String(decision.retryAfterSeconds));
      res.status(429).json({ error: "RATE_LIMITED", message: "too many requests: slow down" });
      return;
    }
    next();
  };
}
