import { z } from "zod";
import type { ShotRequest } from "../../simulation/pool/match.ts";

// zod's number() refuses NaN and ±Infinity, which msgpack can carry: such a shot is answered BAD_MESSAGE.
const num = z.number();

/** `shoot`: the cue and, with ball in hand, where the cue ball goes. Ranges are checked by the match (clear codes). */
export const shootSchema = z.object({
  /** Radians from +x (towards the foot rail), counter-clockwise seen from above. */
  directionRad: num,
  /** Cue ball speed just after the strike (m/s). */
  speed: num,
  /** Tip offsets, fractions of the ball's radius (right english and follow positive). */
  side: num.default(0),
  vertical: num.default(0),
  /** Degrees; only 0 (a level cue) is played. */
  elevationDeg: num.default(0),
  /** Rules pocket id 0–5 called for the 8. */
  calledPocket: z.number().int().min(0).max(5).nullable().default(null),
  cueBall: z.object({ x: num, y: num }).nullable().default(null),
});

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

export const decideSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("acceptTable") }),
  z.object({ kind: z.literal("rerack"), breaker: z.union([z.literal(0), z.literal(1)]) }),
]);
