import express, { type Router } from "express";
import { z } from "zod";
import type { Logger } from "../logging.ts";
import { displayNameSchema, type Player, type PlayerDirectory } from "../players/players.ts";
import type { TokenService } from "./tokens.ts";

const guestRequestSchema = z.object({ displayName: displayNameSchema }, { error: "body must be a JSON object" });

export interface GuestRouteDeps {
  players: PlayerDirectory;
  tokens: TokenService;
  logger: Logger;
  /** Runs once for each new player, e.g. to open the wallet with its starting credit. */
  onPlayerCreated?: (player: Player) => Promise<void>;
}

/** `POST /auth/guest {displayName}` → `{ token, player }` for a new demo player. */
export function createGuestRouter(deps: GuestRouteDeps): Router {
  const router = express.Router();
  router.post("/auth/guest", express.json({ limit: "2kb" }), async (req, res, next) => {
    const parsed = guestRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json({ error: "BAD_REQUEST", message: parsed.error.issues.map((i) => i.message).join("; ") });
      return;
    }
    try {
      const player = await deps.players.createGuest(parsed.data.displayName);
      await deps.onPlayerCreated?.(player);
      const token = await deps.tokens.issue({ playerId: player.id, displayName: player.displayName });
      deps.logger.info({ playerId: player.id }, "guest player created");
      res.status(201).json({ token, player: publicPlayer(player) });
    } catch (error) {
      next(error);
    }
  });
  return router;
}

export function publicPlayer(player: Player) {
  return { id: player.id, displayName: player.displayName, createdAt: player.createdAt.toISOString() };
}
