// The stored replay of one pool match (format version 1): the inputs that reproduce it and the results that were
// broadcast. Positions are metres in the physics frame, numbers exactly as the room had them (float32 values), so
// a re-simulation can be compared bit for bit.

import type { MatchStep } from "../../simulation/pool/match.ts";

export const REPLAY_FORMAT_VERSION = 1;

/** [id, x, y] of a ball at rest on the bed. */
export type RestingBall = [number, number, number];

export interface ShotStepResult {
  kind: "shot";
  /** Every ball of the shot as the simulation left it: [id, x, y, physics pocket or −1]. */
  balls: [number, number, number, number][];
  /** The summary the rules ruled on (rules pocket numbering). */
  summary: unknown;
  fouls: string[];
  totalTimeS: number;
  complete: boolean;
  /** The physics backend that computed it; a replay re-simulates on the same one (absent: the CPU engine). */
  backend?: "cpu" | "webgpu";
}

/** A decision or a shot-clock timeout: the table after it (a re-rack or a re-spot moves balls). */
export interface TableStepResult {
  kind: "decision" | "timeout";
  balls: RestingBall[];
}

export type StepResult = ShotStepResult | TableStepResult;

export interface PoolReplay {
  version: typeof REPLAY_FORMAT_VERSION;
  game: "pool";
  matchId: string;
  roundId: string;
  mode: string;
  table: "9ft" | "7ft";
  players: [string, string];
  stakeMinor: string;
  rakeBps: number;
  /** The match's seeds: the coin toss is nonce 0, rack r is nonce r (docs/pool-room.md). */
  seeds: { serverSeed: string; serverSeedHash: string; clientSeed: string };
  breaker: 0 | 1;
  /** Rack order of every rack played, apex first (rackEightBall slots). */
  racks: number[][];
  steps: MatchStep[];
  /** results[i] belongs to steps[i]. */
  results: StepResult[];
  final: {
    balls: RestingBall[];
    /** −1 when the match was abandoned by both and the stakes refunded. */
    winnerSeat: number;
    reason: string;
  };
  startedAt: string;
  finishedAt: string;
}

export function restingBalls(balls: readonly { id: number; x: number; y: number }[]): RestingBall[] {
  return balls.map((ball) => [ball.id, ball.x, ball.y]);
}
