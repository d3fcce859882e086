import express, { type Router } from "express";
import { parseVerification, routeSpelling, runVerification } from "./verification.ts";

/**
 * `GET /fair/verify`: recomputes a shoe or a draw from revealed seeds, as any player can offline (docs/fairness.md).
 * A refusal is 400 `{ error, field, message }`: an unknown, repeated, missing or malformed parameter, named.
 */
export function createFairRouter(): Router {
  const router = express.Router();
  router.get("/fair/verify", (req, res) => {
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
