import express, { type NextFunction, type Request, type Response, Router } from "express";
import type { MatchmakerError, RegionsView } from "../protocol/matchmaker.ts";
import { requirePlayer } from "../src/auth/require-player.ts";
import type { TokenService } from "../src/auth/tokens.ts";
import type { Logger } from "../src/logging.ts";
import { QUEUED_GAME_DEFINITIONS } from "./games.ts";
import { type Matchmaker, MatchmakerRefusal } from "./matchmaker.ts";
import type { NodeAnnouncement } from "./nodes.ts";
import { hasCapacity } from "./placement.ts";
import { RateLimiter } from "./rate-limit.ts";

export interface MatchmakerRouterOptions {
  matchmaker: Matchmaker;
  tokens: TokenService;
  nodes(): Promise<NodeAnnouncement[]>;
  logger: Logger;
}

/** A ticket is a game, a tier, a series and a few dozen round trips: 4 KiB is ample. */
const BODY_LIMIT = "4kb";

function refuse(res: Response, status: number, body: MatchmakerError) {
  res.status(status).json(body);
}

/**
 * GET /regions (public), GET /matchmaker/ping (what clients time), and the signed-in player's own ticket:
 * POST /matchmaker/tickets, GET /matchmaker/ticket, DELETE /matchmaker/tickets/:ticketId.
 */
export function createMatchmakerRouter(options: MatchmakerRouterOptions): Router {
  const { matchmaker, tokens } = options;
  const log = options.logger;
  const router = Router();
  const player = requirePlayer(tokens);
  // Reading the ticket is a poll (a client asks about once a second); changing it is rarer.
  const reads = new RateLimiter(5, 20);
  const writes = new RateLimiter(1, 5);
  const byAddress = new RateLimiter(500, 1_000);

  const limit = (bucket: RateLimiter) => (req: Request, res: Response, next: NextFunction) => {
    const key = req.player?.playerId;
    if ((key && !bucket.take(key)) || !byAddress.take(req.ip ?? "unknown")) {
      refuse(res, 429, { error: "RATE_LIMITED", message: "too many matchmaker requests: slow down" });
      return;
    }
    next();
  };

  router.get("/matchmaker/ping", limit(reads), (_req, res) => {
    res.set("cache-control", "no-store").status(204).end();
  });

  router.get("/regions", limit(reads), async (req, res) => {
    const nodes = await options.nodes();
    const byRegion = new Map<string, NodeAnnouncement[]>();
    for (const node of nodes) byRegion.set(node.region, [...(byRegion.get(node.region) ?? []), node]);
    const body: RegionsView = {
      regions: [...byRegion]
        .sort(([x], [y]) => (x < y ? -1 : 1))
        .map(([region, members]) => {
          const pinged = members.find((node) => !node.draining) ?? members[0]!;
          const base = pinged.publicAddress ? `${req.protocol}://${pinged.publicAddress}` : "";
          return {
            region,
            pingUrl: `${base}/matchmaker/ping`,
            nodes: members.length,
            hasCapacity: members.some(hasCapacity),
          };
        }),
      games: [...QUEUED_GAME_DEFINITIONS.values()].map((definition) => ({
        game: definition.game,
        tiers: [...definition.tiers].map(([tier, stakeMinor]) => ({ tier, stakeMinor: stakeMinor.toString() })),
        bestOf: definition.bestOf ? [...definition.bestOf] : null,
      })),
    };
    res.json(body);
  });

  router.post(
    "/matchmaker/tickets",
    player,
    limit(writes),
    express.json({ limit: BODY_LIMIT }),
    async (req, res, next) => {
      try {
        res.status(201).json(await matchmaker.enqueue(req.player!, req.body));
      } catch (error) {
        next(error);
      }
    },
  );

  router.get("/matchmaker/ticket", player, limit(reads), async (req, res, next) => {
    try {
      res.json(await matchmaker.current(req.player!.playerId));
    } catch (error) {
      next(error);
    }
  });

  router.delete("/matchmaker/tickets/:ticketId", player, limit(writes), async (req, res, next) => {
    try {
      const ticketId = String(req.params.ticketId);
      if (!/^[0-9a-f-]{36}$/.test(ticketId)) {
        throw new MatchmakerRefusal("NO_TICKET", 404, "no such ticket");
      }
      res.json(await matchmaker.cancel(req.player!.playerId, ticketId));
    } catch (error) {
      next(error);
    }
  });

  router.use(["/matchmaker", "/regions"], (error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof MatchmakerRefusal) {
      refuse(res, error.status, { error: error.code, message: error.message });
      return;
    }
    const type = (error as { type?: string } | undefined)?.type;
    if (type === "entity.too.large") {
      refuse(res, 413, { error: "BODY_TOO_LARGE", message: `a ticket request is at most ${BODY_LIMIT}` });
      return;
    }
    if (type === "entity.parse.failed" || type === "encoding.unsupported" || type === "charset.unsupported") {
      refuse(res, 400, { error: "BAD_REQUEST", message: "the body is not valid JSON" });
      return;
    }
    // Anything else is the queue's store (Redis) failing: the client may retry; the details stay in the log.
    log.error({ err: error }, "matchmaker request failed");
    refuse(res, 503, { error: "QUEUE_UNAVAILABLE", message: "the queue is unavailable right now: try again shortly" });
  });
  return router;
}
