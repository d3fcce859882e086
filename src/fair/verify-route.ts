import express, { type Router } from "express";
import { type RateLimitOptions, rateLimit } from "../http/rate-limit.ts";
import { parseVerification, routeSpelling, runVerification } from "./verification.ts";

/** A whole 8-deck shoe takes well under a millisecond; this still keeps one address from making it a CPU sink. */
const VERIFY_RATE_LIMIT: RateLimitOptions = { limit: 100, windowMs: 10_000 };

/**
 * `GET /fair/verify`: recomputes a shoe or a draw from revealed seeds, as any player can offline (docs/fairness.md).
 * A refusal is 400 `{ error, field, message }`: an unknown, repeated, missing or malformed parameter, named; more
 * than 100 requests in 10 s from one address are 429 RATE_LIMITED.
 */
export function createFairRouter(options: { rateLimit?: RateLimitOptions } = {}): Router {
  const router = express.Router();
  router.get("/fair/verify", rateLimit(options.rateLimit ?? VERIFY_RATE_LIMIT), (req, res) => {
    const parsed = parseVerification(req.query as Record<string, unknown>, routeSpelling);
    if (!parsed.ok) {
      const { code, field, message } = parsed.problem;
      res.status(400).json({ error: code, field, message });
      return;
    }
    res.json(runVerification(parsed.verification));
  });
  return router;
}
