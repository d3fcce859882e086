import type { z } from "zod";
import { decideSchema, shootSchema } from "../../protocol/pool.ts";
import { MatchRefusal, type ShotRequest } from "../../simulation/pool/match.ts";
import { IntentRejected } from "../intents.ts";

export { decideSchema, shootSchema };

export function toShotRequest(payload: z.infer<typeof shootSchema>): ShotRequest {
  return {
    directionRad: payload.directionRad,
    speed: payload.speed,
    side: payload.side,
    vertical: payload.vertical,
    elevationDeg: payload.elevationDeg,
    calledPocket: payload.calledPocket as ShotRequest["calledPocket"],
    cueBall: payload.cueBall,
  };
}

/** Runs a match-engine step; the engine's refusal (a code and a sentence) becomes the refusal the client reads. */
export function engineStep<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof MatchRefusal) throw new IntentRejected(error.code, error.message);
    throw error;
  }
}
