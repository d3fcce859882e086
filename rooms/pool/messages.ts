import type { z } from "zod";
import { decideSchema, shootSchema } from "../../protocol/pool.ts";
import type { ShotRequest } from "../../simulation/pool/match.ts";

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
