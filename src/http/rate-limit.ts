import type { NextFunction, Request, Response } from "express";

export interface RateLimitOptions {
  /** Requests allowed per key in each window. */
  limit: number;
  windowMs: number;
  /** Who is counted: the signed-in player when there is one, else the address. */
  keyOf?: (req: Request) => string;
  /** At most this many keys are tracked; the oldest window is dropped past it. */
  keysMax?: number;
}

/** A fixed-window request limit per key: 429 RATE_LIMITED past it, with Retry-After. */
export function rateLimit(options: RateLimitOptions) {
  const { limit, windowMs } = options;
  const keysMax = options.keysMax ?? 10_000;
  const keyOf = options.keyOf ?? ((req: Request) => req.player?.playerId ?? req.ip ?? "unknown");
  const windows = new Map<string, { startedAt: number; count: number }>();
  return (req: Request, res: Response, next: NextFunction) => {
    const now = Date.now();
    const key = keyOf(req);
    let window = windows.get(key);
    if (!window || now - window.startedAt >= windowMs) {
      windows.delete(key);
      if (windows.size >= keysMax) windows.delete(windows.keys().next().value!);
      window = { startedAt: now, count: 0 };
      windows.set(key, window);
    }
    window.count += 1;
    if (window.count > limit) {
      res.setHeader("Retry-After", String(Math.ceil((window.startedAt + windowMs - now) / 1000)));
      res.status(429).json({ error: "RATE_LIMITED", message: "too many requests: slow down" });
      return;
    }
    next();
  };
}
