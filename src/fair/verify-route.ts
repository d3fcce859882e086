import express, { type Router } from "express";
import { z } from "zod";
import { cardToString, MAX_DECKS, MIN_DECKS } from "../../simulation/cards/index.ts";
import {
  CLIENT_SEED_PATTERN,
  hashServerSeed,
  recomputeDraw,
  recomputeShoe,
  SERVER_SEED_PATTERN,
  verifyCommitment,
} from "../../simulation/rng/index.ts";

const verifyQuerySchema = z.object({
  serverSeed: z.string().regex(SERVER_SEED_PATTERN, "serverSeed must be 64 lowercase hex characters"),
  clientSeed: z.string().regex(CLIENT_SEED_PATTERN, "clientSeed must be 1 to 64 of A-Z a-z 0-9 _ -"),
  nonce: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  decks: z.coerce.number().int().min(MIN_DECKS).max(MAX_DECKS).default(1),
  /** `shoe`: the whole shuffled shoe, top card first; `draw`: only the first `count` cards. */
  mode: z.enum(["shoe", "draw"]).default("shoe"),
  count: z.coerce
    .number()
    .int()
    .min(1)
    .max(52 * MAX_DECKS)
    .default(2),
  /** The commitment shown before play; when given, the answer says whether the revealed seed matches it. */
  serverSeedHash: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, "serverSeedHash must be 64 hex characters")
    .optional(),
});

/** `GET /fair/verify`: recomputes a shoe or a draw from revealed seeds, as any player can offline. */
export function createFairRouter(): Router {
  const router = express.Router();
  router.get("/fair/verify", (req, res) => {
    const parsed = verifyQuerySchema.safeParse(req.query);
    if (!parsed.success) {
      res.status(400).json({ error: "BAD_REQUEST", message: parsed.error.issues.map((i) => i.message).join("; ") });
      return;
    }
    const { serverSeed, clientSeed, nonce, decks, mode, count, serverSeedHash } = parsed.data;
    const seeds = { serverSeed, clientSeed, nonce };
    if (mode === "draw" && count > decks * 52) {
      res.status(400).json({ error: "BAD_REQUEST", message: `count must be at most ${decks * 52}` });
      return;
    }
    const cards = mode === "shoe" ? recomputeShoe(seeds, decks) : recomputeDraw(seeds, count, decks);
    res.json({
      serverSeedHash: hashServerSeed(serverSeed),
      commitmentMatches: serverSeedHash === undefined ? null : verifyCommitment(serverSeed, serverSeedHash),
      clientSeed,
      nonce,
      decks,
      mode,
      cards: cards.map(cardToString),
    });
  });
  return router;
}
