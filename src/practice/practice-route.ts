import { matchMaker } from "@colyseus/core";
import { Client } from "@colyseus/sdk";
import express, { type Request, type Response, Router } from "express";
import { z } from "zod";
import { requirePlayer } from "../auth/require-player.ts";
import type { TokenService } from "../auth/tokens.ts";
import type { Logger } from "../logging.ts";
import type { ShotBatcher } from "../physics/batcher.ts";
import type { PlayerDirectory } from "../players/players.ts";
import { PracticePoolBot } from "./pool-practice-bot.ts";

const requestSchema = z.object({ level: z.enum(["easy", "medium", "hard"]).default("medium") });

/** Bot matches one player may have running at once, and in the whole process. */
const MAX_BOT_MATCHES_PER_PLAYER = 2;
const MAX_BOT_MATCHES = 64;
const BOT_THINK_MS = 400;
const BOT_WAITS_FOR_OPPONENT_MS = 60_000;

export interface PracticeRouteDeps {
  players: PlayerDirectory;
  tokens: TokenService;
  physics: ShotBatcher;
  logger: Logger;
}

/**
 * POST /practice/pool {level}: a practice pool match (no stake) against the server's bot. The route opens a private
 * practice room, the bot takes a seat through its own SDK connection to this node, and the answer is the room's id
 * and code for the player to join with.
 */
export function createPracticeRouter(deps: PracticeRouteDeps): Router {
  const router = Router();
  const running = new Map<string, number>();
  let total = 0;
  const botPlayers = new Map<string, Promise<{ playerId: string; token: string }>>();

  const botPlayer = (level: string) => {
    let bot = botPlayers.get(level);
    if (!bot) {
      bot = (async () => {
        const player = await deps.players.createGuest(`Pool bot (${level})`);
        const identity = { playerId: player.id, displayName: player.displayName };
        return { playerId: player.id, token: await deps.tokens.issue(identity) };
      })();
      bot.catch(() => botPlayers.delete(level));
      botPlayers.set(level, bot);
    }
    return bot;
  };

  router.post(
    "/practice/pool",
    express.json({ limit: "1kb" }),
    requirePlayer(deps.tokens),
    async (req: Request, res: Response, next) => {
      const parsed = requestSchema.safeParse(req.body ?? {});
      if (!parsed.success) {
        res.status(400).json({ error: "BAD_REQUEST", message: "level must be easy, medium or hard" });
        return;
      }
      const playerId = req.player!.playerId;
      if ((running.get(playerId) ?? 0) >= MAX_BOT_MATCHES_PER_PLAYER || total >= MAX_BOT_MATCHES) {
        res
          .status(429)
          .json({ error: "TOO_MANY_BOT_MATCHES", message: "finish a practice match before starting another" });
        return;
      }
      const { level } = parsed.data;
      try {
        const bot = await botPlayer(level);
        const listing = await matchMaker.createRoom("pool", { mode: "private", practice: true });
        const code = String((listing.metadata as { code?: string } | undefined)?.code ?? "");
        const client = new Client(`http://127.0.0.1:${req.socket.localPort}`);
        client.auth.token = bot.token;
        const room = await client.joinById(listing.roomId, { code });
        running.set(playerId, (running.get(playerId) ?? 0) + 1);
        total += 1;
        room.onLeave(() => {
          running.set(playerId, (running.get(playerId) ?? 1) - 1);
          if (running.get(playerId) === 0) running.delete(playerId);
          total -= 1;
        });
        new PracticePoolBot(room, {
          playerId: bot.playerId,
          level,
          physics: deps.physics,
          thinkMs: BOT_THINK_MS,
          waitForOpponentMs: BOT_WAITS_FOR_OPPONENT_MS,
          onProblem: (problem) => deps.logger.warn({ roomId: listing.roomId, problem }, "pool bot refused"),
        });
        res.status(201).json({ roomId: listing.roomId, code, level, practice: true });
      } catch (error) {
        next(error);
      }
    },
  );
  return router;
}
