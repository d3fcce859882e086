import express, { type NextFunction, type Request, type RequestHandler, type Response, Router } from "express";
import { TOURNAMENT_LIST_FILTERS } from "../../protocol/tournament.ts";
import { requirePlayer } from "../auth/require-player.ts";
import type { TokenService } from "../auth/tokens.ts";
import { rateLimit } from "../http/rate-limit.ts";
import { WalletError } from "../wallet/errors.ts";
import { TournamentError } from "./errors.ts";
import type { TournamentService } from "./service.ts";

export interface TournamentRouterOptions {
  service: TournamentService;
  tokens: TokenService;
  requireOperator: RequestHandler;
}

const ID_PATTERN = /^[a-z0-9-]{1,64}$/;

/**
 * GET /tournaments?status=open|running|finished|cancelled, GET /tournaments/:id (with its bracket),
 * GET /players/:playerId/tournaments (history), POST and DELETE /tournaments/:id/registration for the signed-in
 * player (the player comes from the token), POST /tournaments for the operator.
 */
export function createTournamentRouter(options: TournamentRouterOptions): Router {
  const { service, tokens, requireOperator } = options;
  const router = Router();
  const player = requirePlayer(tokens);
  const reads = rateLimit({ limit: 100, windowMs: 10_000 });
  const writes = rateLimit({ limit: 10, windowMs: 10_000 });
  const body = express.json({ limit: "8kb" });

  router.get("/tournaments", reads, async (req: Request, res: Response) => {
    const status = req.query.status ?? "open";
    if (typeof status !== "string" || !(TOURNAMENT_LIST_FILTERS as readonly string[]).includes(status)) {
      throw new TournamentError("BAD_REQUEST", `status must be one of ${TOURNAMENT_LIST_FILTERS.join(", ")}`);
    }
    res.json({ tournaments: await service.list(status as (typeof TOURNAMENT_LIST_FILTERS)[number]) });
  });

  router.get("/tournaments/:id", reads, async (req: Request, res: Response) => {
    res.json(await service.detail(tournamentId(req)));
  });

  router.get("/players/:playerId/tournaments", reads, async (req: Request, res: Response) => {
    res.json({ tournaments: await service.history(String(req.params.playerId)) });
  });

  router.post("/tournaments", requireOperator, writes, body, async (req: Request, res: Response) => {
    res.status(201).json(await service.create(req.body));
  });

  router.post("/tournaments/:id/registration", player, writes, async (req: Request, res: Response) => {
    const identity = req.player!;
    res.json(
      await service.register(tournamentId(req), { playerId: identity.playerId, displayName: identity.displayName }),
    );
  });

  router.delete("/tournaments/:id/registration", player, writes, async (req: Request, res: Response) => {
    res.json(await service.unregister(tournamentId(req), req.player!.playerId));
  });

  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (error instanceof TournamentError) {
      res.status(error.httpStatus).json({ error: error.code, message: error.message });
      return;
    }
    if (error instanceof WalletError) {
      res.status(409).json({ error: error.code, message: error.message });
      return;
    }
    const type = (error as { type?: string }).type;
    if (type === "entity.parse.failed") {
      res.status(400).json({ error: "BAD_REQUEST", message: "the body is not valid JSON" });
      return;
    }
    if (type === "entity.too.large") {
      res.status(413).json({ error: "BAD_REQUEST", message: "the body is larger than 8 KiB" });
      return;
    }
    next(error);
  });
  return router;
}

function tournamentId(req: Request): string {
  const id = String(req.params.id);
  if (!ID_PATTERN.test(id)) throw new TournamentError("NOT_FOUND", "no such tournament");
  return id;
}
