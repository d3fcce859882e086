import express, { type Router } from "express";
import type { Db } from "../db/database.ts";
import { isMatchId, loadReplay } from "./store.ts";

/**
 * `GET /replays/:matchId`: a finished match's replay document (docs/pool-room.md "Replay format"). Matches are
 * public once over (spectators could watch them live), and the seed in it was revealed when the match ended.
 */
export function createReplayRouter(db: Db): Router {
  const router = express.Router();
  router.get("/replays/:matchId", async (req, res, next) => {
    try {
      const { matchId } = req.params;
      if (!isMatchId(matchId)) {
        res.status(400).json({ error: "BAD_REQUEST", message: "matchId is 1 to 80 of A-Z a-z 0-9 _ : -" });
        return;
      }
      const replay = await loadReplay(db, matchId);
      if (!replay) {
        res.status(404).json({ error: "NOT_FOUND", message: "no finished match has this id" });
        return;
      }
      res.setHeader("cache-control", "public, max-age=3600, immutable");
      res.json(replay);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
